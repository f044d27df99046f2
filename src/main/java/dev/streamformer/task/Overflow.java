package dev.streamformer.task;

import java.util.Locale;

/** What to do with a text longer than the model's maximum length. */
public enum Overflow {
    /** Keep the first tokens that fit (the result says {@code truncated: true}). */
    TRUNCATE,
    /** Refuse the text: it goes to the dead-letter topic (or an error line on the CLI). */
    REJECT;

    public static Overflow parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown overflow policy '" + s + "': use truncate or reject.");
        }
    }
}
