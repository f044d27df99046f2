/** Models (third stage): WordPiece, byte-level BPE, Unigram; each turns one word into vocabulary tokens. */
package dev.streamformer.tokenize.model;
