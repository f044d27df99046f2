package dev.streamformer.tokenize;

import dev.streamformer.tokenize.text.UnicodeChars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file's {@code added_tokens} ({@code [CLS]}, {@code <|endoftext|>}, Gemma's 6,000 {@code <unusedN>}, ...). They
 * are found in the raw text before normalization, leftmost match first and the longest one there (what HF's
 * Aho-Corasick automaton does), and become tokens as they are; the text between them goes through the pipeline.
 * A token with {@code lstrip} (XLM-R's {@code <mask>}) also swallows the whitespace before it, one with
 * {@code rstrip} the whitespace after it.
 */
final class AddedTokens {

    /** One added token. */
    record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip) {}

    /** A part of the input: either an added token at {@code [start, end)} or plain text there ({@code token} null). */
    record Part(int start, int end, AddedToken token) {}

    /** A trie node over code points; {@code token} is set where an added token ends. */
    private static final class Node {
        final Map<Integer, Node> children = new HashMap<>(4);
        AddedToken token;
    }

    private final Node root = new Node();
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Set<String> specialContents = new HashSet<>();
    private final List<AddedToken> tokens;

    AddedTokens(List<AddedToken> tokens) {
        this.tokens = List.copyOf(tokens);
        for (AddedToken t : tokens) {
            byId.put(t.id(), t);
            if (t.special()) {
                specialContents.add(t.content());
            }
            Node node = root;
            for (int c : t.content().codePoints().toArray()) {
                node = node.children.computeIfAbsent(c, k -> new Node());
            }
            if (node != root && node.token == null) {
                node.token = t;
            }
        }
    }

    /** The added token with this id, or null. */
    AddedToken byId(int id) { return byId.get(id); }

    /** Whether {@code token} is the content of a special added token (what HF's decode skips). */
    boolean isSpecial(String token) { return specialContents.contains(token); }

    List<AddedToken> all() { return tokens; }

    /** Cuts {@code text} (code points) into added tokens and the plain text between them. */
    List<Part> split(int[] text) {
        List<Part> parts = new ArrayList<>();
        int plainStart = 0;
        int i = 0;
        while (i < text.length && !root.children.isEmpty()) {
            AddedToken best = null;
            int bestEnd = i;
            Node node = root;
            for (int k = i; k < text.length; k++) {
                node = node.children.get(text[k]);
                if (node == null) {
                    break;
                }
                if (node.token != null) {
                    best = node.token;
                    bestEnd = k + 1;
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            int start = i;
            int end = bestEnd;
            if (best.lstrip()) {
                while (start > plainStart && UnicodeChars.isWhitespace(text[start - 1])) {
                    start--;
                }
            }
            if (best.rstrip()) {
                while (end < text.length && UnicodeChars.isWhitespace(text[end])) {
                    end++;
                }
            }
            if (start > plainStart) {
                parts.add(new Part(plainStart, start, null));
            }
            parts.add(new Part(start, end, best));
            i = end;
            plainStart = end;
        }
        if (plainStart < text.length || parts.isEmpty()) {
            parts.add(new Part(plainStart, text.length, null));
        }
        return parts;
    }
}
