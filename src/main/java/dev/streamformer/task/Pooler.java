package dev.streamformer.task;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.model.Pooling;
import dev.streamformer.tensor.Tensor;

/** Turns per-token hidden states {@code [batch, seq, hidden]} into one vector per text. */
final class Pooler {

    private Pooler() {}

    static float[] pool(Tensor hidden, TokenBatch batch, int row, Pooling pooling, boolean normalize) {
        int seq = hidden.dim(1), dim = hidden.dim(2);
        float[] h = hidden.data();
        float[] out = new float[dim];
        int base = row * seq * dim;
        switch (pooling) {
            case CLS -> System.arraycopy(h, base, out, 0, dim);
            case LAST -> System.arraycopy(h, base + (batch.length(row) - 1) * dim, out, 0, dim);
            case MEAN -> {
                // Average over the positions the attention mask keeps; padding contributes nothing.
                int count = 0;
                for (int t = 0; t < seq; t++) {
                    if (batch.attentionMask()[row * seq + t] == 0) continue;
                    count++;
                    for (int j = 0; j < dim; j++) out[j] += h[base + t * dim + j];
                }
                for (int j = 0; j < dim; j++) out[j] /= Math.max(count, 1);
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
