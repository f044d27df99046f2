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
        if (!matches.isEmpty()) {
            text.replaceRanges(matches, content.codePoints().toArray());
        }
    }
}
