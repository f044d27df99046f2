/** Pre-tokenizers (second stage): cut normalized text into words that the model tokenizes one by one. */
package dev.streamformer.tokenize.pretokenize;
