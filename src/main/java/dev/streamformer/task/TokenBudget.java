package dev.streamformer.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits texts into model batches by a budget of padded tokens, as text-embeddings-inference does:
 * texts are sorted by length so each batch pads little, and a batch is closed when
 * {@code (longest text in it) × (texts in it)} would pass {@code maxTokens} or it holds {@code maxBatchSize} texts.
 *
 * @param maxTokens    padded tokens per model call (the memory and latency knob)
 * @param maxBatchSize texts per model call
 */
public record TokenBudget(int maxTokens, int maxBatchSize) {

    public static final TokenBudget DEFAULT = new TokenBudget(8192, 64);

    public TokenBudget {
        if (maxTokens < 1 || maxBatchSize < 1) {
            throw new IllegalArgumentException("token budget and batch size must be at least 1 (got " + maxTokens + ", " + maxBatchSize + ")");
        }
    }

    /** Groups of indexes into {@code lengths}; every index appears in exactly one group. */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int i : order) {
            int longestIfAdded = Math.max(longest, lengths[i]);
            boolean full = current.size() >= maxBatchSize || (long) longestIfAdded * (current.size() + 1) > maxTokens;
            if (!current.isEmpty() && full) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
                longestIfAdded = lengths[i];
            }
            current.add(i);
            longest = longestIfAdded;
        }
        if (!current.isEmpty()) batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        return batches;
    }
}
