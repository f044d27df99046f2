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

    /**
     * The Viterbi table over a word: for each position {@code i}, the best score of a segmentation of
     * {@code word[0, i)} and its last piece (start and id). Filled left to right, start by start.
     */
    private final class Lattice implements PieceTrie.Visitor {
        final double[] best;
        final int[] from;
        final int[] ids;
        int start;
        boolean singleCharPiece;

        Lattice(int n) {
            best = new double[n + 1];
            from = new int[n + 1];
            ids = new int[n + 1];
            java.util.Arrays.fill(from, -1);
        }

        /** A vocabulary piece of {@code length} characters starts at {@link #start}. */
        @Override
        public void piece(int id, int length) {
            offer(start + length, id, scores[id]);
            singleCharPiece |= length == 1;
        }

        /** Keeps the piece {@code [start, end)} if it gives the best path to {@code end} (the first wins ties). */
        void offer(int end, int id, double score) {
            double total = best[start] + score;
            if (from[end] < 0 || total > best[end]) {
                best[end] = total;
                from[end] = start;
                ids[end] = id;
            }
        }
    }

    @Override
    public List<Token> tokenize(int[] word) {
        int n = word.length;
        Lattice lattice = new Lattice(n);
        for (int start = 0; start < n; start++) {
            lattice.start = start;
            lattice.singleCharPiece = false;
            trie.prefixes(word, start, lattice);
            if (!lattice.singleCharPiece) {
                lattice.offer(start + 1, unkId, unknownScore);
            }
        }
        int[] from = lattice.from;
        int[] ids = lattice.ids;
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
