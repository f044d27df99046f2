/**
 * Post-processors (last stage): special tokens and type ids (TemplateProcessing, BertProcessing, ByteLevel).
 *
 * <p>May depend on: {@code tokenize}, {@code tokenize.model} and {@code tokenize.text} (the {@code Encoding} it fills
 * in).
 */
package dev.streamformer.tokenize.process;
