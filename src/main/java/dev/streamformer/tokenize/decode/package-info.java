/** Decoders: token strings back to text (WordPiece, ByteLevel, Metaspace, ...), and streaming decoding. */
package dev.streamformer.tokenize.decode;
