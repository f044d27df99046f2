package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.Attention;

import java.util.function.IntBinaryOperator;

/**
 * The keys and values of every position a decoder has seen, per layer and per sequence slot: what lets one decoding
 * step run one new row per sequence instead of the whole sequence again.
 *
 * <pre>
 *   per layer: keys, values   [slot, position, width]     width = kvHeads · headDim
 *   store:     row r's k, v   → [slots[r], positions[r]]
 *   attend:    row r, head h  → softmax(q_h · K[slot, 0..pos]ᵀ · scale + bias) · V[slot, 0..pos]
 * </pre>
 * With grouped-query attention ({@code kvHeads < heads}) query head {@code h} reads key/value head
 * {@code h / (heads / kvHeads)}.
 */
final class KvCache {

    private final float[][] keys;
    private final float[][] values;
    private final int maxLength;
    private final int width;

    KvCache(int layers, int slots, int maxLength, int width) {
        this.keys = new float[layers][slots * maxLength * width];
        this.values = new float[layers][slots * maxLength * width];
        this.maxLength = maxLength;
        this.width = width;
    }

    /**
     * Writes the keys and values of {@code n} new rows at their slots and positions. Row {@code r}'s key starts at
     * {@code k[kStart + r·rowStride]}, its value at {@code v[vStart + r·rowStride]}.
     */
    void store(int layer, int n, int[] slots, int[] positions, float[] k, int kStart, float[] v, int vStart, int rowStride) {
        for (int r = 0; r < n; r++) {
            int at = (slots[r] * maxLength + positions[r]) * width;
            System.arraycopy(k, kStart + r * rowStride, keys[layer], at, width);
            System.arraycopy(v, vStart + r * rowStride, values[layer], at, width);
        }
    }

    /**
     * Causal attention for {@code n} rows: each query head of row {@code r} (at {@code q[qStart + r·qStride + h·headDim]})
     * looks at positions {@code 0..positions[r]} of its own slot; the heads' results go side by side into
     * {@code out[r·outStride + h·headDim]}.
     *
     * @param bias       null, or an additive bias on the scores: head {@code h} of a row at position {@code p} adds
     *                   {@code bias[biasStart.applyAsInt(h, p) + t]} to the score of key position {@code t} (T5's
     *                   relative position buckets)
     * @param scores     scratch of at least {@code maxLength}
     */
    void attend(int layer, int n, int[] slots, int[] positions, float[] q, int qStart, int qStride, int heads, int kvHeads,
                int headDim, float scale, float[] bias, IntBinaryOperator biasStart, float[] scores, float[] out, int outStride) {
        int queriesPerKv = heads / kvHeads;
        for (int r = 0; r < n; r++) {
            int slotBase = slots[r] * maxLength * width;
            for (int h = 0; h < heads; h++) {
                Attention.head(q, qStart + r * qStride + h * headDim, keys[layer], values[layer],
                        slotBase + (h / queriesPerKv) * headDim, width, positions[r] + 1, headDim, scale,
                        bias, bias == null ? 0 : biasStart.applyAsInt(h, positions[r]), scores, out, r * outStride + h * headDim);
            }
        }
    }
}
