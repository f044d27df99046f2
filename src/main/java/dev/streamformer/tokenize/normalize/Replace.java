package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.TextPattern;
import java.util.List;

/**
 * Replaces every match of a pattern (a literal string or a regex) by fixed content. The new characters take the
 * alignment of the last character they replace.
 */
public record Replace(TextPattern pattern, String content) implements Normalizer {

    @Override
    public void normalize(NormalizedString text) {
        List<int[]> matches = pattern.findMatches(text);
        int[] contentChars = content.codePoints().toArray();
        // right to left, so that earlier match positions stay valid
        for (int m = matches.size() - 1; m >= 0; m--) {
            int[] match = matches.get(m);
            if (match[1] <= match[0]) {
                continue;
            }
            NormalizedString.Edits edits = new NormalizedString.Edits();
            for (int c : contentChars) {
                edits.add(c, 1);
            }
            text.transform(match[0], match[1], edits, match[1] - match[0]);
        }
    }
}
