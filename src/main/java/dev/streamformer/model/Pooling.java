package dev.streamformer.model;

import java.util.Locale;

/** How a sentence vector is made from the per-token hidden states. */
public enum Pooling {
    /** Average of the token vectors where the attention mask is 1 (special tokens included, as sentence-transformers does). */
    MEAN,
    /** The vector of the first token ([CLS]). */
    CLS,
    /** The vector of the last real token (decoder-style embedding models). */
    LAST;

    public static Pooling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown pooling '" + s + "': use mean, cls or last.");
        }
    }
}
