package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;

/** Removes leading and/or trailing whitespace. */
public record Strip(boolean left, boolean right) implements Normalizer {

    @Override
    public void normalize(NormalizedString text) {
        int n = text.length();
        int leading = 0;
        while (left && leading < n && UnicodeChars.isWhitespace(text.charAt(leading))) {
            leading++;
        }
        int trailing = 0;
        while (right && trailing < n - leading && UnicodeChars.isWhitespace(text.charAt(n - 1 - trailing))) {
            trailing++;
        }
        if (leading > 0 || trailing > 0) {
            NormalizedString.Edits edits = new NormalizedString.Edits();
            for (int i = leading; i < n - trailing; i++) {
                edits.add(text.charAt(i), i == n - trailing - 1 ? -trailing : 0);
            }
            text.transform(edits, leading);
        }
    }
}
