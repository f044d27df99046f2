package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;

/**
 * Self-attention without a mask over one whole input, as an encoder–decoder's encoder (T5) reads its prompt: every
 * position sees every other, before and after it.
 * <pre>
 *   q, k, v = x·Wqᵀ, x·Wkᵀ, x·Wvᵀ                       [n, heads·headDim]
 *   head h, row i:  softmax(q_h,i · K_hᵀ · scale + bias(key − i)) · V_h
 *   out = concat(heads) · Woᵀ                           [n, hidden]
 * </pre>
 *
 * @param scale multiplies the scores: 1 for T5 (which folds 1/√headDim into its initialization)
 */
record BidirectionalSelfAttention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, float scale) {

    /** {@code out[n, hidden]} from {@code x[n, hidden]}; {@code bias} holds the relative position biases for n positions. */
    void forward(float[] x, int n, RelativePositionBias.Table bias, float[] out) {
        int width = heads * headDim;
        float[] queries = new float[n * width], keys = new float[n * width], values = new float[n * width];
        float[] headsOut = new float[n * width], scores = new float[n];
        q.forward(x, n, queries);
        k.forward(x, n, keys);
        v.forward(x, n, values);
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < heads; h++) {
                Attention.head(queries, i * width + h * headDim, keys, values, h * headDim, width, n, headDim, scale,
                        bias.values(), bias.start(h, i), scores, headsOut, i * width + h * headDim);
            }
        }
        o.forward(headsOut, n, out);
    }
}
