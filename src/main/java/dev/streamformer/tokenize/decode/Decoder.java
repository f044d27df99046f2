package dev.streamformer.tokenize.decode;

import java.util.List;

/** Turns token strings back into text. Decoders can be chained: each rewrites the list of strings. */
public interface Decoder {

    /** Rewrites the token strings; the decoded text is their concatenation. */
    List<String> decodeChain(List<String> tokens);

    /** The decoded text. */
    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
