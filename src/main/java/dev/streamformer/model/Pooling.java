package dev.streamformer.model;

import java.util.Locale;

/**
 * How a sentence vector is made from the per-token hidden states: sentence-transformers' pooling modes. Every mode
 * looks at the tokens the attention mask keeps, special tokens included, as sentence-transformers does.
 */
public enum Pooling {
    /** Average of the token vectors. */
    MEAN,
    /** The vector of the first token ([CLS], {@code <s>}). */
    CLS,
    /** The vector of the last real token (decoder-style embedding models; sentence-transformers' {@code lasttoken}). */
    LAST,
    /** The largest value of each feature over the tokens. */
    MAX,
    /** The sum of the token vectors divided by {@code sqrt(number of tokens)}. */
    MEAN_SQRT_LEN,
    /** Average weighted by position, token {@code t} (from 0) counting {@code t + 1} (SGPT). */
    WEIGHTED_MEAN;

    /** {@code mean}, {@code cls}, {@code last}, {@code max}, {@code mean_sqrt_len}, {@code weighted_mean}, or sentence-transformers' names for them. */
    public static Pooling parse(String s) {
        String name = s.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "lasttoken" -> LAST;
            case "mean_sqrt_len_tokens" -> MEAN_SQRT_LEN;
            case "weightedmean" -> WEIGHTED_MEAN;
            default -> {
                try {
                    yield valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown pooling '" + s + "': use mean, cls, last, max, mean_sqrt_len or weighted_mean.");
                }
            }
        };
    }

    /** The name {@link #parse} reads back. */
    public String id() { return name().toLowerCase(Locale.ROOT); }
}
