package dev.streamformer.engine.java.decoder;

import dev.streamformer.tensor.Kernels;

/**
 * One pre-norm decoder block:
 * <pre>
 *   x = x + attention(RMSNorm(x))
 *   x = x + feedForward(RMSNorm(x))
 * </pre>
 */
record DecoderBlock(RmsNorm attentionNorm, CausalSelfAttention attention, RmsNorm feedForwardNorm,
                    GatedFeedForward feedForward) {

    /** Updates the residual stream {@code x[rows, hidden]} in place. */
    void forward(float[] x, int rows, int[] slots, int[] positions, RotaryEmbedding rope, KvCache cache, int layer,
                 DecoderOnlyTransformer.Scratch s) {
        int len = rows * attentionNorm.weight().length;
        attentionNorm.forward(x, rows, s.normed);
        attention.forward(s.normed, rows, slots, positions, rope, cache, layer, s.attention, s.sublayer);
        Kernels.addInPlace(x, s.sublayer, len);
        feedForwardNorm.forward(x, rows, s.normed);
        feedForward.forward(s.normed, rows, s.gated, s.upped, s.sublayer);
        Kernels.addInPlace(x, s.sublayer, len);
    }
}
