package dev.streamformer.tokenize.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code Replace} and {@code Split} look for: a literal string or a regular expression. */
public final class TextPattern {

    private final Pattern regex;

    private TextPattern(Pattern regex) {
        this.regex = regex;
    }

    public static TextPattern literal(String s) {
        return new TextPattern(Pattern.compile(Pattern.quote(s)));
    }

    /** A regex with Unicode classes ({@code \s}, {@code \w} as in Oniguruma, which HF uses). */
    public static TextPattern regex(String regex) {
        return new TextPattern(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
    }

    /** Non-overlapping matches, left to right, as {@code [start, end)} in code points of the normalized text. */
    public List<int[]> findMatches(NormalizedString text) {
        String s = text.text();
        List<int[]> matches = new ArrayList<>();
        Matcher m = regex.matcher(s);
        boolean ascii = s.length() == text.length();
        int lastChar = 0;
        int lastCodePoint = 0;
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            int start;
            int end;
            if (ascii) {
                start = m.start();
                end = m.end();
            } else {
                start = lastCodePoint + s.codePointCount(lastChar, m.start());
                end = start + s.codePointCount(m.start(), m.end());
                lastChar = m.end();
                lastCodePoint = end;
            }
            matches.add(new int[] {start, end});
        }
        return matches;
    }
}
