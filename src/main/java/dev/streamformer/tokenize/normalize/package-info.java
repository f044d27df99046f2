/** Normalizers (first pipeline stage): BertNormalizer, NFC/NFD/NFKC/NFKD, Lowercase, StripAccents, Replace, Prepend, Strip, Sequence. */
package dev.streamformer.tokenize.normalize;
