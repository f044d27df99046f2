/**
 * Pre-tokenizers (second stage): cut normalized text into words that the model tokenizes one by one.
 *
 * <p>May depend on: {@code tokenize.text}.
 */
package dev.streamformer.tokenize.pretokenize;
