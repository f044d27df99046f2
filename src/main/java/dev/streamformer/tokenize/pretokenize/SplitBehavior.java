package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What happens to the delimiters when a piece is split, for {@code the-final--countdown} split on {@code -}:
 * REMOVED: the, final, countdown; ISOLATED: the, -, final, -, -, countdown; MERGED_WITH_PREVIOUS: the-, final-, -,
 * countdown; MERGED_WITH_NEXT: the, -final, -, -countdown; CONTIGUOUS: the, -, final, --, countdown.
 */
public enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    public static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw new IllegalArgumentException("unknown split behavior " + name);
        };
    }

    /** Splits where single characters match {@code delimiter} (each matching character is one delimiter). */
    public List<NormalizedString> split(NormalizedString piece, IntPredicate delimiter) {
        List<int[]> matches = new ArrayList<>();
        for (int i = 0; i < piece.length(); i++) {
            if (delimiter.test(piece.charAt(i))) {
                matches.add(new int[] {i, i + 1});
            }
        }
        return split(piece, matches);
    }

    /** Splits at the given delimiter matches ({@code [start, end)}, sorted, not overlapping). */
    public List<NormalizedString> split(NormalizedString piece, List<int[]> matches) {
        // the whole piece as alternating spans: {start, end, isMatch}
        List<int[]> spans = new ArrayList<>();
        int at = 0;
        for (int[] m : matches) {
            if (m[0] > at) {
                spans.add(new int[] {at, m[0], 0});
            }
            spans.add(new int[] {m[0], m[1], 1});
            at = m[1];
        }
        if (at < piece.length()) {
            spans.add(new int[] {at, piece.length(), 0});
        }
        List<int[]> parts = new ArrayList<>();
        switch (this) {
            case REMOVED -> spans.stream().filter(s -> s[2] == 0).forEach(parts::add);
            case ISOLATED -> parts.addAll(spans);
            case CONTIGUOUS -> {
                int previous = -1;
                for (int[] s : spans) {
                    if (s[2] == previous && !parts.isEmpty()) {
                        parts.getLast()[1] = s[1];
                    } else {
                        parts.add(s.clone());
                    }
                    previous = s[2];
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] s : spans) {
                    if (s[2] == 1 && !previousMatch && !parts.isEmpty()) {
                        parts.getLast()[1] = s[1];
                    } else {
                        parts.add(s.clone());
                    }
                    previousMatch = s[2] == 1;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                List<int[]> reversed = new ArrayList<>();
                for (int k = spans.size() - 1; k >= 0; k--) {
                    int[] s = spans.get(k);
                    if (s[2] == 1 && !previousMatch && !reversed.isEmpty()) {
                        reversed.getLast()[0] = s[0];
                    } else {
                        reversed.add(s.clone());
                    }
                    previousMatch = s[2] == 1;
                }
                parts.addAll(reversed.reversed());
            }
        }
        List<NormalizedString> out = new ArrayList<>(parts.size());
        for (int[] p : parts) {
            if (p[1] > p[0]) {
                out.add(piece.slice(p[0], p[1]));
            }
        }
        return out;
    }
}
