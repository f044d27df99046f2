package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

import java.util.Arrays;

/** Scaled dot-product attention of one query row of one head over {@code len} keys: the decoders' step, one new row at a time. */
public final class Attention {

    private Attention() {}

    /**
     * {@code out[headDim] = softmax(q·Kᵀ · scale + bias) · V} for one head.
     *
     * @param q       the query head at {@code q[qOff, qOff + headDim)}
     * @param keys    cache holding key {@code t} of this head at {@code keys[base + t*stride, … + headDim)}
     * @param values  the value cache, same layout as {@code keys}
     * @param len     number of positions attended to (the causal mask is "look only at {@code t < len}")
     * @param bias    added score for position {@code t} at {@code bias[biasOff + t]}; null for none
     * @param scores  scratch of at least {@code len} floats; holds the attention weights afterwards
     */
    public static void head(float[] q, int qOff, float[] keys, float[] values, int base, int stride, int len, int headDim,
                     float scale, float[] bias, int biasOff, float[] scores, float[] out, int outOff) {
        // scores: how well the query matches each key
        for (int t = 0; t < len; t++) {
            float s = Kernels.dot(q, qOff, keys, base + t * stride, headDim) * scale;
            scores[t] = bias == null ? s : s + bias[biasOff + t];
        }
        // softmax the scores into attention weights
        Kernels.softmaxInPlace(scores, 0, len);
        // weighted sum of the values
        Arrays.fill(out, outOff, outOff + headDim, 0f);
        for (int t = 0; t < len; t++) {
            Kernels.axpy(scores[t], values, base + t * stride, out, outOff, headDim);
        }
    }
}
