/**
 * Decoders: token strings back to text (WordPiece, ByteLevel, Metaspace, ...), and streaming decoding.
 *
 * <p>May depend on: {@code tokenize.text}.
 */
package dev.streamformer.tokenize.decode;
