package dev.streamformer.engine.java;

import dev.streamformer.tensor.Kernels;

/**
 * One Transformer encoder block: self-attention and a feed-forward network, each wrapped in a residual
 * connection and a LayerNorm.
 * <pre>
 *   post-LN (BERT):  x = LN1(x + attention(x));   x = LN2(x + ffn(x))
 *   pre-LN:          x = x + attention(LN1(x));   x = x + ffn(LN2(x))
 * </pre>
 */
final class EncoderBlock {

    private final SelfAttention attention;
    private final LayerNorm attentionNorm;
    private final FeedForward feedForward;
    private final LayerNorm outputNorm;
    private final EncoderConfig.NormPlacement placement;
    private final int hidden;

    EncoderBlock(SelfAttention attention, LayerNorm attentionNorm, FeedForward feedForward, LayerNorm outputNorm,
                 EncoderConfig.NormPlacement placement, int hidden) {
        this.attention = attention;
        this.attentionNorm = attentionNorm;
        this.feedForward = feedForward;
        this.outputNorm = outputNorm;
        this.placement = placement;
        this.hidden = hidden;
    }

    /** BERT's names under {@code encoder.layer.<i>}. */
    static EncoderBlock load(WeightSource w, int i, EncoderConfig c) {
        String layer = "encoder.layer." + i;
        return new EncoderBlock(
                SelfAttention.load(w, layer + ".attention", c),
                LayerNorm.load(w, layer + ".attention.output.LayerNorm", c.hidden(), c.layerNormEps()),
                FeedForward.load(w, layer, c),
                LayerNorm.load(w, layer + ".output.LayerNorm", c.hidden(), c.layerNormEps()),
                c.norm(), c.hidden());
    }

    /** Updates the residual stream {@code x [tokens, hidden]} in place. */
    void forward(float[] x, PackedBatch batch, EncoderState s, float[] attentionWeightsOut) {
        int n = batch.tokens();
        int len = n * hidden;
        if (placement == EncoderConfig.NormPlacement.POST_LN) {
            attention.forward(x, batch, s, s.sublayer, attentionWeightsOut);
            attentionNorm.addAndNormalize(x, s.sublayer, n);   // residual + norm
            feedForward.forward(x, n, s, s.sublayer);
            outputNorm.addAndNormalize(x, s.sublayer, n);      // residual + norm
        } else {
            attentionNorm.forward(x, n, s.normed);
            attention.forward(s.normed, batch, s, s.sublayer, attentionWeightsOut);
            Kernels.addInPlace(x, s.sublayer, len);
            outputNorm.forward(x, n, s.normed);
            feedForward.forward(s.normed, n, s, s.sublayer);
            Kernels.addInPlace(x, s.sublayer, len);
        }
    }
}
