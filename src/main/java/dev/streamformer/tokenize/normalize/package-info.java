/**
 * Normalizers (first pipeline stage): BertNormalizer, NFC/NFD/NFKC/NFKD, Lowercase, StripAccents, Replace, Prepend,
 * Strip, Precompiled (SentencePiece's compiled rules, as in XLM-R), Sequence.
 *
 * <p>May depend on: {@code tokenize.text}.
 */
package dev.streamformer.tokenize.normalize;
