package dev.streamformer.task.generate;

import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;

import java.util.List;

/**
 * How surprised a language model is by text: {@code exp(mean over tokens t ≥ 1 of −log p(x_t | x_<t))}. Lower is
 * better; a change in how weights are stored (quantization) should barely move it. Teacher-forced: each sequence is
 * fed in one pass (chunks of the state's rows) and every position's next-token distribution is read.
 */
public final class Perplexity {

    private Perplexity() {}

    /** Perplexity over every sequence (each at least two tokens; shorter ones are skipped). */
    public static double of(LanguageModel model, List<int[]> sequences) {
        if (model.encoderDecoder()) throw new IllegalArgumentException("perplexity here is for decoder-only models.");
        double nll = 0;
        long predicted = 0;
        int vocab = model.vocabSize();
        for (int[] seq : sequences) {
            if (seq.length < 2) continue;
            int length = Math.min(seq.length, model.maxPositions());
            DecoderState state = model.newState(1, length);
            int rows = state.maxRows();
            int[] slots = new int[rows], positions = new int[rows], tokens = new int[rows], logitRows = new int[rows];
            float[] logits = new float[rows * vocab];
            for (int from = 0; from < length - 1; from += rows) {
                int n = Math.min(rows, length - from);
                for (int r = 0; r < n; r++) {
                    slots[r] = 0;
                    positions[r] = from + r;
                    tokens[r] = seq[from + r];
                    logitRows[r] = r;
                }
                state.forward(n, slots, positions, tokens, logitRows, n, logits);
                for (int r = 0; r < n && from + r + 1 < length; r++) {
                    nll -= logSoftmax(logits, r * vocab, vocab, seq[from + r + 1]);
                    predicted++;
                }
            }
        }
        if (predicted == 0) throw new IllegalArgumentException("no sequence of two or more tokens to score.");
        return Math.exp(nll / predicted);
    }

    /** {@code log softmax(logits[off, off + vocab))[token]}, computed stably. */
    public static double logSoftmax(float[] logits, int off, int vocab, int token) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(logits[off + i] - max);
        return logits[off + token] - max - Math.log(sum);
    }
}
