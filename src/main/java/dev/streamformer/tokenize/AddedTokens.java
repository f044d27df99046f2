package dev.streamformer.tokenize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file's {@code added_tokens} ({@code [CLS]}, {@code <|endoftext|>}, ...). They are found in the raw text before
 * normalization (leftmost, longest match first) and become tokens as they are; the text between them goes through the
 * pipeline.
 */
final class AddedTokens {

    /** One added token. */
    record AddedToken(int id, String content, boolean special) {}

    /** A part of the input: either an added token at {@code [start, end)} or plain text there ({@code token} null). */
    record Part(int start, int end, AddedToken token) {}

    private final Map<Integer, List<int[]>> byFirstChar = new HashMap<>();
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final List<AddedToken> tokens;

    AddedTokens(List<AddedToken> tokens) {
        this.tokens = List.copyOf(tokens);
        for (int k = 0; k < tokens.size(); k++) {
            AddedToken t = tokens.get(k);
            byId.put(t.id(), t);
            int[] cps = t.content().codePoints().toArray();
            if (cps.length == 0) {
                continue;
            }
            int[] entry = new int[cps.length + 1];
            entry[0] = k;
            System.arraycopy(cps, 0, entry, 1, cps.length);
            byFirstChar.computeIfAbsent(cps[0], c -> new ArrayList<>()).add(entry);
        }
    }

    /** The added token with this id, or null. */
    AddedToken byId(int id) { return byId.get(id); }

    List<AddedToken> all() { return tokens; }

    /** Cuts {@code text} (code points) into added tokens and the plain text between them. */
    List<Part> split(int[] text) {
        List<Part> parts = new ArrayList<>();
        if (byFirstChar.isEmpty()) {
            parts.add(new Part(0, text.length, null));
            return parts;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length) {
            AddedToken best = null;
            int bestLength = 0;
            List<int[]> candidates = byFirstChar.get(text[i]);
            if (candidates != null) {
                for (int[] c : candidates) {
                    int length = c.length - 1;
                    if (length > bestLength && i + length <= text.length && matches(text, i, c)) {
                        best = tokens.get(c[0]);
                        bestLength = length;
                    }
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                parts.add(new Part(plainStart, i, null));
            }
            parts.add(new Part(i, i + bestLength, best));
            i += bestLength;
            plainStart = i;
        }
        if (plainStart < text.length || parts.isEmpty()) {
            parts.add(new Part(plainStart, text.length, null));
        }
        return parts;
    }

    private static boolean matches(int[] text, int at, int[] entry) {
        for (int k = 1; k < entry.length; k++) {
            if (text[at + k - 1] != entry[k]) {
                return false;
            }
        }
        return true;
    }
}
