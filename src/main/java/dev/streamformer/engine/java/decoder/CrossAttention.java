package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.Attention;
import dev.streamformer.engine.java.layers.Linear;

/**
 * Cross-attention, the decoder's look at the encoder (T5's {@code EncDecAttention}): queries come from the decoder's
 * rows, keys and values from the encoder's output, computed once per input sequence.
 * <pre>
 *   start:   K = enc·Wkᵀ, V = enc·Wvᵀ                [encoderLength, heads·headDim]   per sequence, kept
 *   step:    q = x·Wqᵀ                               [rows, heads·headDim]
 *            head h: softmax(q_h · K_hᵀ · scale) · V_h   every encoder position, no mask
 *            out = concat(heads) · Woᵀ
 * </pre>
 *
 * @param scale multiplies the scores: 1/√headDim, or 1 for T5 (which folds it into its initialization)
 */
record CrossAttention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, float scale) {

    /** What one input sequence offers the decoder: its keys and values, {@code [length, heads·headDim]} each. */
    record Memory(float[] keys, float[] values, int length) {}

    /** The keys and values of {@code n} encoder output rows {@code enc[n, hidden]}. */
    Memory remember(float[] enc, int n) {
        float[] keys = new float[n * heads * headDim];
        float[] values = new float[n * heads * headDim];
        k.forward(enc, n, keys);
        v.forward(enc, n, values);
        return new Memory(keys, values, n);
    }

    /**
     * {@code out[rows, hidden]}: row {@code r} attends to every position of {@code memories[slots[r]]}. {@code queries}
     * and {@code heads} are scratch of {@code [rows, heads·headDim]}, {@code scores} of the longest memory.
     */
    void forward(float[] x, int rows, int[] slots, Memory[] memories, float[] queries, float[] headsOut, float[] scores,
                 float[] out) {
        int width = heads * headDim;
        q.forward(x, rows, queries);
        for (int r = 0; r < rows; r++) {
            Memory m = memories[slots[r]];
            for (int h = 0; h < heads; h++) {
                Attention.head(queries, r * width + h * headDim, m.keys(), m.values(), h * headDim, width, m.length(),
                        headDim, scale, null, 0, scores, headsOut, r * width + h * headDim);
            }
        }
        o.forward(headsOut, rows, out);
    }
}
