package dev.streamformer.tokenize.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Unigram language model (SentencePiece): the segmentation of a word into vocabulary pieces with the highest total
 * score (log probability), found by Viterbi over the word's characters. A character no piece covers costs the lowest
 * score minus 10 and becomes the unknown token; consecutive unknown characters are fused into one. With
 * {@code byte_fallback}, an unknown piece becomes its {@code <0xXX>} byte tokens instead.
 */
public final class Unigram implements Model {

    private static final double UNKNOWN_PENALTY = 10.0;

    private final Vocabulary vocabulary;
    private final double[] scores;
    private final int unkId;
    private final boolean byteFallback;
    private final double unknownScore;
    private final PieceTrie trie;

    /**
     * @param pieces vocabulary in id order
     * @param scores score of each piece
     */
    public Unigram(String[] pieces, double[] scores, int unkId, boolean byteFallback) {
        this.vocabulary = Vocabulary.ofTokens(pieces);
        this.scores = scores.clone();
        this.unkId = unkId;
        this.byteFallback = byteFallback;
        double min = Double.POSITIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
        }
        this.unknownScore = min - UNKNOWN_PENALTY;
        this.trie = new PieceTrie(pieces);
    }

    @Override
    public List<Token> tokenize(int[] word) {
        int n = word.length;
        // best[i]: best score of a segmentation of word[0, i); from[i], id[i]: its last piece
        double[] best = new double[n + 1];
        int[] from = new int[n + 1];
        int[] ids = new int[n + 1];
        java.util.Arrays.fill(from, -1);
        for (int start = 0; start < n; start++) {
            if (start > 0 && from[start] < 0) {
                continue;
            }
            boolean[] singleCharPiece = {false};
            int from0 = start;
            trie.prefixes(word, start, (id, length) -> {
                int end = from0 + length;
                double score = best[from0] + scores[id];
                if (from[end] < 0 || score > best[end]) {
                    best[end] = score;
                    from[end] = from0;
                    ids[end] = id;
                }
                singleCharPiece[0] |= length == 1;
            });
            if (!singleCharPiece[0]) {
                double score = best[start] + unknownScore;
                if (from[start + 1] < 0 || score > best[start + 1]) {
                    best[start + 1] = score;
                    from[start + 1] = start;
                    ids[start + 1] = unkId;
                }
            }
        }
        // walk back, fusing runs of unknown pieces
        List<Token> reversed = new ArrayList<>();
        int end = n;
        int unknownEnd = -1;
        while (end > 0) {
            int start = from[end];
            if (ids[end] == unkId) {
                if (unknownEnd < 0) {
                    unknownEnd = end;
                }
            } else {
                if (unknownEnd >= 0) {
                    reversed.add(new Token(unkId, new String(word, end, unknownEnd - end), end, unknownEnd));
                    unknownEnd = -1;
                }
                reversed.add(new Token(ids[end], vocabulary.token(ids[end]), start, end));
            }
            end = start;
        }
        if (unknownEnd >= 0) {
            reversed.add(new Token(unkId, new String(word, 0, unknownEnd), 0, unknownEnd));
        }
        List<Token> tokens = new ArrayList<>(reversed.size());
        for (Token t : reversed.reversed()) {
            if (t.id() == unkId && byteFallback) {
                tokens.addAll(byteTokensOr(t));
            } else {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /** The {@code <0xXX>} tokens of an unknown piece's UTF-8 bytes (all with the piece's offsets), or the piece. */
    private List<Token> byteTokensOr(Token unknown) {
        List<Token> bytes = new ArrayList<>();
        for (byte b : unknown.value().getBytes(StandardCharsets.UTF_8)) {
            String name = String.format("<0x%02X>", b & 0xFF);
            int id = vocabulary.id(name);
            if (id < 0) {
                return List.of(unknown);
            }
            bytes.add(new Token(id, name, unknown.start(), unknown.end()));
        }
        return bytes;
    }

    @Override
    public int tokenToId(String token) { return vocabulary.id(token); }

    @Override
    public String idToToken(int id) { return vocabulary.token(id); }
}
