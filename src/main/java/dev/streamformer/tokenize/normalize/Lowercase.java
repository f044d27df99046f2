package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;

/**
 * Lowercases character by character like Rust's {@code char::to_lowercase}: no context rules (Σ always becomes σ,
 * unlike {@link String#toLowerCase}), and U+0130 (İ) becomes two characters, "i" and U+0307.
 */
public final class Lowercase implements Normalizer {

    public static final Lowercase INSTANCE = new Lowercase();

    private static final int CAPITAL_I_WITH_DOT = 0x130;

    private Lowercase() {}

    @Override
    public void normalize(NormalizedString text) {
        boolean expands = false;
        for (int i = 0; i < text.length() && !expands; i++) {
            expands = text.charAt(i) == CAPITAL_I_WITH_DOT;
        }
        if (!expands) {
            text.map(Character::toLowerCase);
            return;
        }
        NormalizedString.Edits edits = new NormalizedString.Edits();
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (c == CAPITAL_I_WITH_DOT) {
                edits.add('i', 0);
                edits.add(0x307, 1);
            } else {
                edits.add(Character.toLowerCase(c), 0);
            }
        }
        text.transform(edits, 0);
    }
}
