/** Post-processors (last stage): special tokens and type ids (TemplateProcessing, BertProcessing, ByteLevel). */
package dev.streamformer.tokenize.process;
