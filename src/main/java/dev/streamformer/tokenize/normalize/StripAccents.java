package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;
import dev.streamformer.tokenize.text.UnicodeForms;

/** Removes accents: decomposes (NFD) and drops the non-spacing marks (Mn). */
public final class StripAccents implements Normalizer {

    public static final StripAccents INSTANCE = new StripAccents();

    private StripAccents() {}

    @Override
    public void normalize(NormalizedString text) {
        UnicodeForms.nfd(text);
        text.filter(c -> !UnicodeChars.isNonSpacingMark(c));
    }
}
