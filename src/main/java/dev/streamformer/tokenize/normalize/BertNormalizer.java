package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;
import dev.streamformer.tokenize.text.UnicodeForms;

/**
 * BERT's normalizer, in HF's order: drop control characters and map whitespace to a space ({@code clean_text}), put
 * spaces around CJK ideographs ({@code handle_chinese_chars}), strip accents (NFD, then drop Mn), lowercase.
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public void normalize(NormalizedString text) {
        if (cleanText) {
            text.filter(c -> !(c == 0 || c == 0xFFFD || (c != '\t' && c != '\n' && c != '\r' && UnicodeChars.isOther(c))));
            text.map(c -> UnicodeChars.isWhitespace(c) ? ' ' : c);
        }
        if (handleChineseChars) {
            surroundChineseChars(text);
        }
        if (stripAccents) {
            UnicodeForms.nfd(text);
            text.filter(c -> !UnicodeChars.isNonSpacingMark(c));
        }
        if (lowercase) {
            Lowercase.INSTANCE.normalize(text);
        }
    }

    private static void surroundChineseChars(NormalizedString text) {
        boolean any = false;
        for (int i = 0; i < text.length() && !any; i++) {
            any = UnicodeChars.isChineseChar(text.charAt(i));
        }
        if (!any) {
            return;
        }
        NormalizedString.Edits edits = new NormalizedString.Edits();
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (UnicodeChars.isChineseChar(c)) {
                edits.add(' ', 1);
                edits.add(c, 0);
                edits.add(' ', 1);
            } else {
                edits.add(c, 0);
            }
        }
        text.transform(edits, 0);
    }
}
