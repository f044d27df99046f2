/** Text with alignments to the original (NormalizedString), Unicode character classes and normalization forms as Hugging Face tokenizers defines them, and patterns. */
package dev.streamformer.tokenize.text;
