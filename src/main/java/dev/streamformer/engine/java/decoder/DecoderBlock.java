package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.Mlp;
import dev.streamformer.engine.java.layers.Norm;
import dev.streamformer.tensor.Kernels;

/**
 * One pre-norm decoder block, the same box for GPT-2 and the Llama lineage (they differ in which norm and which
 * MLP fill it):
 * <pre>
 *   x = x + attention(norm₁(x))
 *   x = x + mlp(norm₂(x))
 * </pre>
 */
record DecoderBlock(Norm attentionNorm, CausalSelfAttention attention, Norm mlpNorm, Mlp mlp) {

    /** Updates the residual stream {@code x[rows, hidden]} in place. */
    void forward(float[] x, int rows, int[] slots, int[] positions, RotaryEmbedding rope, KvCache cache, int layer,
                 DecoderOnlyTransformer.Scratch s) {
        int len = rows * attentionNorm.features();
        attentionNorm.forward(x, rows, s.normed);
        attention.forward(s.normed, rows, slots, positions, rope, cache, layer, s.attention, s.sublayer);
        Kernels.addInPlace(x, s.sublayer, len);
        mlpNorm.forward(x, rows, s.normed);
        mlp.forward(s.normed, rows, s.wide, s.wide2, s.sublayer);
        Kernels.addInPlace(x, s.sublayer, len);
    }
}
