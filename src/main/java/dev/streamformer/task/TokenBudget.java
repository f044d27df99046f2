package dev.streamformer.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one batching rule of Streamformer, with one meaning of each limit and one default, for the command line, the
 * {@code run} flags, topology files and the Kafka batcher: a batch fits while {@code (longest text in it) × (texts in
 * it)}, its padded size, is at most {@code maxTokens} and it holds at most {@code maxBatchSize} texts ({@link #fits}).
 * A single text over the budget runs alone.
 *
 * <p>{@link #plan} splits texts into model batches by this rule, as text-embeddings-inference does: texts are sorted by
 * length so each batch pads little. A batch that the Kafka batcher formed by the same rule is one model call.
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

    /** True when {@code count} texts whose longest has {@code longest} tokens fit in one model call. */
    public boolean fits(int longest, int count) {
        return count <= maxBatchSize && (long) longest * count <= maxTokens;
    }

    /** Groups of indexes into {@code lengths}, each in length order; every index appears in exactly one group. */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int i : order) {
            int longestIfAdded = Math.max(longest, lengths[i]);
            if (!current.isEmpty() && !fits(longestIfAdded, current.size() + 1)) {
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
