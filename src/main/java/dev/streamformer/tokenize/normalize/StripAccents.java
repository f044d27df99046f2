package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;

/**
 * Removes combining marks (categories Mn, Mc, Me). It does not decompose: put NFD or NFKD before it so that accented
 * letters have separate marks to remove (BERT's normalizer does its own accent stripping).
 */
public final class StripAccents implements Normalizer {

    public static final StripAccents INSTANCE = new StripAccents();

    private StripAccents() {}

    @Override
    public void normalize(NormalizedString text) {
        text.filter(c -> !isCombiningMark(c));
    }

    static boolean isCombiningMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
