package dev.streamformer.tokenize.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding: a word starts as single characters and the adjacent pair with the best (lowest) merge rank is
 * merged, leftmost first on ties, until no pair in the merge list is left. Results per word are cached.
 * Characters missing from the vocabulary become {@code <0xXX>} byte tokens ({@code byte_fallback}), the unknown token,
 * or are dropped when there is none (as HF does).
 */
public final class Bpe implements Model {

    private static final int CACHE_CAPACITY = 10_000;
    private static final int MAX_CACHED_WORD = 256;

    private final Vocabulary vocabulary;
    private final MergeTable merges;
    private final String unkToken;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final Map<String, List<Token>> cache = new ConcurrentHashMap<>();

    /**
     * @param merges merge rules in rank order, each {@code {left, right}} token strings
     */
    public Bpe(Vocabulary vocabulary, List<String[]> merges, String unkToken, boolean fuseUnk, boolean byteFallback,
               boolean ignoreMerges) {
        this.vocabulary = vocabulary;
        this.unkToken = unkToken;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.merges = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            int left = vocabulary.id(m[0]);
            int right = vocabulary.id(m[1]);
            int merged = vocabulary.id(m[0] + m[1]);
            if (left < 0 || right < 0 || merged < 0) {
                throw new IllegalArgumentException("BPE merge \"" + m[0] + " " + m[1] + "\" (rank " + rank
                        + ") uses a token missing from the vocabulary");
            }
            this.merges.putIfAbsent(left, right, rank, merged);
        }
    }

    @Override
    public List<Token> tokenize(int[] word) {
        String key = new String(word, 0, word.length);
        List<Token> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<Token> tokens = merge(word, key);
        if (cache.size() < CACHE_CAPACITY && word.length <= MAX_CACHED_WORD) {
            cache.put(key, tokens);
        }
        return tokens;
    }

    private List<Token> merge(int[] word, String key) {
        if (ignoreMerges) {
            int id = vocabulary.id(key);
            if (id >= 0) {
                return List.of(new Token(id, key, 0, word.length));
            }
        }
        Symbols symbols = new Symbols(word.length);
        int unk = unkToken == null ? -1 : vocabulary.id(unkToken);
        for (int i = 0; i < word.length; i++) {
            String c = Character.toString(word[i]);
            int id = vocabulary.id(c);
            int[] bytes = id < 0 && byteFallback ? byteTokens(c) : null;
            if (id >= 0) {
                symbols.add(id, i, i + 1);
            } else if (bytes != null) {
                for (int b : bytes) {
                    symbols.add(b, i, i + 1);
                }
            } else if (unk >= 0) {
                if (fuseUnk && symbols.count > 0 && symbols.ids[symbols.count - 1] == unk) {
                    symbols.ends[symbols.count - 1] = i + 1;
                } else {
                    symbols.add(unk, i, i + 1);
                }
            }
        }
        return applyMerges(symbols.ids, symbols.starts, symbols.ends, symbols.count);
    }

    /** The initial symbols of a word: vocabulary id and {@code [start, end)} in the word's characters. */
    private static final class Symbols {
        int[] ids;
        int[] starts;
        int[] ends;
        int count;

        Symbols(int capacity) {
            ids = new int[Math.max(capacity, 1)];
            starts = new int[ids.length];
            ends = new int[ids.length];
        }

        void add(int id, int start, int end) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            ids[count] = id;
            starts[count] = start;
            ends[count] = end;
            count++;
        }
    }

    /**
     * Repeatedly merges the adjacent pair with the lowest rank, leftmost on ties: a heap of candidate pairs keyed by
     * (rank, position) over a linked list of symbols, O(n log n) however long the word.
     */
    private List<Token> applyMerges(int[] ids, int[] starts, int[] ends, int count) {
        int[] next = new int[count];
        int[] prev = new int[count];
        for (int k = 0; k < count; k++) {
            next[k] = k + 1 < count ? k + 1 : -1;
            prev[k] = k - 1;
        }
        // candidate: {rank, left position, left id, right id}; stale when the symbols changed since
        PriorityQueue<int[]> candidates = new PriorityQueue<>(
                (a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        for (int k = 0; k + 1 < count; k++) {
            offer(candidates, ids, k, k + 1);
        }
        boolean[] removed = new boolean[count];
        while (!candidates.isEmpty()) {
            int[] c = candidates.poll();
            int left = c[1];
            int right = removed[left] ? -1 : next[left];
            if (right < 0 || ids[left] != c[2] || ids[right] != c[3]) {
                continue;
            }
            ids[left] = MergeTable.merged(merges.get(c[2], c[3]));
            ends[left] = ends[right];
            removed[right] = true;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(candidates, ids, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(candidates, ids, left, next[left]);
            }
        }
        List<Token> tokens = new ArrayList<>();
        for (int k = count > 0 ? 0 : -1; k >= 0; k = next[k]) {
            tokens.add(new Token(ids[k], vocabulary.token(ids[k]), starts[k], ends[k]));
        }
        return List.copyOf(tokens);
    }

    private void offer(PriorityQueue<int[]> candidates, int[] ids, int left, int right) {
        long rule = merges.get(ids[left], ids[right]);
        if (rule >= 0) {
            candidates.add(new int[] {MergeTable.rank(rule), left, ids[left], ids[right]});
        }
    }

    /** Ids of the {@code <0xXX>} tokens of a character's UTF-8 bytes, or null when one is missing. */
    private int[] byteTokens(String c) {
        byte[] bytes = c.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            ids[k] = vocabulary.id(String.format("<0x%02X>", bytes[k] & 0xFF));
            if (ids[k] < 0) {
                return null;
            }
        }
        return ids;
    }

    @Override
    public int tokenToId(String token) { return vocabulary.id(token); }

    @Override
    public String idToToken(int id) { return vocabulary.token(id); }
}
