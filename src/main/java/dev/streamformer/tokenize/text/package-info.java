/**
 * Text with alignments to the original (NormalizedString), Unicode character classes and normalization forms as Hugging
 * Face tokenizers defines them, patterns, and the double-array trie SentencePiece compiles its normalization rules into.
 *
 * <p>May depend on nothing else in Streamformer.
 */
package dev.streamformer.tokenize.text;
