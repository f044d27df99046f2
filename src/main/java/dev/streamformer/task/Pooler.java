package dev.streamformer.task;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.model.Pooling;
import dev.streamformer.tensor.Tensor;

/**
 * Turns per-token hidden states {@code [batch, seq, hidden]} into one vector per text, the way sentence-transformers'
 * Pooling module does: over the positions the attention mask keeps (special tokens included), padding contributing nothing.
 */
final class Pooler {

    private Pooler() {}

    static float[] pool(Tensor hidden, TokenBatch batch, int row, Pooling pooling, boolean normalize) {
        int seq = hidden.dim(1), dim = hidden.dim(2);
        float[] h = hidden.data();
        float[] out = new float[dim];
        int base = row * seq * dim;
        long[] mask = batch.attentionMask();
        switch (pooling) {
            case CLS -> System.arraycopy(h, base, out, 0, dim);
            case LAST -> System.arraycopy(h, base + (batch.length(row) - 1) * dim, out, 0, dim);
            case MAX -> {
                java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
                for (int t = 0; t < seq; t++) {
                    if (mask[row * seq + t] == 0) continue;
                    for (int j = 0; j < dim; j++) out[j] = Math.max(out[j], h[base + t * dim + j]);
                }
            }
            case MEAN, MEAN_SQRT_LEN, WEIGHTED_MEAN -> {
                // sum of the kept token vectors, each times its weight (1, or its position + 1 for WEIGHTED_MEAN)
                double weights = 0;
                for (int t = 0; t < seq; t++) {
                    if (mask[row * seq + t] == 0) continue;
                    float w = pooling == Pooling.WEIGHTED_MEAN ? t + 1 : 1;
                    weights += w;
                    for (int j = 0; j < dim; j++) out[j] += w * h[base + t * dim + j];
                }
                // MEAN divides by the token count, MEAN_SQRT_LEN by its square root, WEIGHTED_MEAN by the sum of the weights
                double divisor = Math.max(pooling == Pooling.MEAN_SQRT_LEN ? Math.sqrt(weights) : weights, 1e-9);
                for (int j = 0; j < dim; j++) out[j] = (float) (out[j] / divisor);
            }
        }
        if (normalize) l2Normalize(out);
        return out;
    }

    static void l2Normalize(float[] v) {
        double ss = 0;
        for (float x : v) ss += (double) x * x;
        double norm = Math.sqrt(ss);
        if (norm < 1e-12) return;
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
    }
}
