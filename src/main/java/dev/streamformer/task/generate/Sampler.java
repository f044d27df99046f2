package dev.streamformer.task.generate;

import dev.streamformer.tensor.Kernels;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next token from a row of logits, in the order transformers applies its logits processors:
 * repetition penalty, then greedy argmax, or temperature → top-k → top-p → sample. Holds scratch buffers
 * (one sampler per generation, not thread-safe).
 */
public final class Sampler {

    private final GenerationConfig config;
    private final float[] scores;    // [vocab] logits after processing
    private final boolean[] seen;    // [vocab] tokens already penalised this step
    private final long[] order;      // [vocab] (sortable score, id) keys for top-p
    private final float[] sorted;    // [vocab] scores sorted, for the top-k threshold

    public Sampler(GenerationConfig config, int vocab) {
        this.config = config;
        this.scores = new float[vocab];
        this.seen = new boolean[vocab];
        this.order = new long[vocab];
        this.sorted = new float[vocab];
    }

    /**
     * @param logits  {@code logits[off, off + vocab)} of one sequence
     * @param context the tokens the model has seen (prompt and generated), for the repetition penalty
     */
    public int next(float[] logits, int off, int[] context, int contextLength, RandomGenerator random) {
        int vocab = scores.length;
        System.arraycopy(logits, off, scores, 0, vocab);
        if (config.repetitionPenalty() != 1f) penalise(context, contextLength);
        if (config.isGreedy()) return argmax(scores);
        // temperature: flatten (>1) or sharpen (<1) the distribution
        float invT = 1f / config.temperature();
        for (int i = 0; i < vocab; i++) scores[i] *= invT;
        if (config.topK() > 0 && config.topK() < vocab) keepTopK(config.topK());
        if (config.topP() < 1f) keepTopP(config.topP());
        // sample from softmax of what is left (removed tokens are -inf, probability 0)
        Kernels.softmaxInPlace(scores, 0, vocab);
        double r = random.nextDouble();
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (scores[i] == 0f) continue;
            cumulative += scores[i];
            last = i;
            if (r < cumulative) return i;
        }
        return last; // rounding left r just above the total
    }

    /** transformers' rule, once per distinct token: a positive logit is divided by the penalty, a negative one multiplied. */
    private void penalise(int[] context, int length) {
        float p = config.repetitionPenalty();
        for (int i = 0; i < length; i++) {
            int t = context[i];
            if (seen[t]) continue;
            seen[t] = true;
            scores[t] = scores[t] > 0 ? scores[t] / p : scores[t] * p;
        }
        for (int i = 0; i < length; i++) seen[context[i]] = false;
    }

    /** Removes every token scoring below the k-th highest score (ties with it stay, as in transformers). */
    private void keepTopK(int k) {
        System.arraycopy(scores, 0, sorted, 0, scores.length);
        Arrays.sort(sorted); // a selection (quickselect) would do in O(vocab); sorting 4k floats is cheap enough here
        float threshold = sorted[sorted.length - k];
        for (int i = 0; i < scores.length; i++) if (scores[i] < threshold) scores[i] = Float.NEGATIVE_INFINITY;
    }

    /** Keeps the most likely tokens until their probabilities reach {@code p} (the one crossing it included). */
    private void keepTopP(float p) {
        int vocab = scores.length;
        int n = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (scores[i] == Float.NEGATIVE_INFINITY) continue;
            order[n++] = ((long) sortable(scores[i]) << 32) | i;
            max = Math.max(max, scores[i]);
        }
        Arrays.sort(order, 0, n);
        double total = 0;
        for (int j = 0; j < n; j++) total += Math.exp(scores[(int) order[j]] - max);
        double cumulative = 0;
        int j = n - 1;
        for (; j >= 0; j--) {
            cumulative += Math.exp(scores[(int) order[j]] - max) / total;
            if (cumulative >= p) break;
        }
        for (int m = 0; m < j; m++) scores[(int) order[m]] = Float.NEGATIVE_INFINITY;
    }

    /** Float bits as an int that sorts like the float. */
    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    /** Index of the largest value, the first one on ties (as torch.argmax). */
    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
