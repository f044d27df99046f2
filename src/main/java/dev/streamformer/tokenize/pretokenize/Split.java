package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.TextPattern;
import java.util.ArrayList;
import java.util.List;

/** Splits on a pattern (string or regex) with a delimiter behavior; {@code invert} splits on what does not match. */
public record Split(TextPattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        List<int[]> matches = pattern.findMatches(piece);
        if (invert) {
            List<int[]> gaps = new ArrayList<>();
            int at = 0;
            for (int[] m : matches) {
                if (m[0] > at) {
                    gaps.add(new int[] {at, m[0]});
                }
                at = m[1];
            }
            if (at < piece.length()) {
                gaps.add(new int[] {at, piece.length()});
            }
            matches = gaps;
        }
        return behavior.split(piece, matches);
    }
}
