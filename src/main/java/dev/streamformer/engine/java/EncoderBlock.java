package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.BidirectionalSelfAttention;
import dev.streamformer.engine.java.layers.GeluFeedForward;
import dev.streamformer.engine.java.layers.LayerNorm;
import dev.streamformer.engine.java.layers.Sequences;
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

    private final BidirectionalSelfAttention attention;
    private final LayerNorm attentionNorm;
    private final GeluFeedForward feedForward;
    private final LayerNorm outputNorm;
    private final EncoderConfig.NormPlacement placement;
    private final int hidden;

    EncoderBlock(BidirectionalSelfAttention attention, LayerNorm attentionNorm, GeluFeedForward feedForward,
                 LayerNorm outputNorm, EncoderConfig.NormPlacement placement, int hidden) {
        this.attention = attention;
        this.attentionNorm = attentionNorm;
        this.feedForward = feedForward;
        this.outputNorm = outputNorm;
        this.placement = placement;
        this.hidden = hidden;
    }

    /**
     * BERT's names under {@code encoder.layer.<i>}: {@code attention.self.{query,key,value}}, {@code attention.output.dense}
     * and its {@code LayerNorm}; the feed-forward's {@code intermediate.dense} (up), {@code output.dense} (down) and
     * {@code output.LayerNorm}.
     */
    static EncoderBlock load(WeightSource w, int i, EncoderConfig c) {
        String layer = "encoder.layer." + i;
        int h = c.hidden();
        String a = layer + ".attention";
        BidirectionalSelfAttention attention = new BidirectionalSelfAttention(
                w.linear(a + ".self.query", h, h), w.linear(a + ".self.key", h, h), w.linear(a + ".self.value", h, h),
                w.linear(a + ".output.dense", h, h), c.heads());
        GeluFeedForward feedForward = new GeluFeedForward(
                w.linear(layer + ".intermediate.dense", h, c.intermediate()),
                w.linear(layer + ".output.dense", c.intermediate(), h),
                switch (c.activation()) {
                    case GELU_ERF -> Kernels.Activation.GELU_ERF;
                    case GELU_TANH -> Kernels.Activation.GELU_TANH;
                });
        return new EncoderBlock(attention, w.layerNorm(a + ".output.LayerNorm", h, c.layerNormEps()), feedForward,
                w.layerNorm(layer + ".output.LayerNorm", h, c.layerNormEps()), c.norm(), h);
    }

    /** Updates the residual stream {@code x [tokens, hidden]} in place. */
    void forward(float[] x, Sequences seqs, EncoderState s, float[] attentionWeightsOut) {
        int n = seqs.tokens();
        int len = n * hidden;
        if (placement == EncoderConfig.NormPlacement.POST_LN) {
            attention.forward(x, seqs, null, null, s.attention, s.sublayer, attentionWeightsOut);
            attentionNorm.addAndNormalize(x, s.sublayer, n);   // residual + norm
            feedForward.forward(x, n, s.intermediate, null, s.sublayer);
            outputNorm.addAndNormalize(x, s.sublayer, n);      // residual + norm
        } else {
            attentionNorm.forward(x, n, s.normed);
            attention.forward(s.normed, seqs, null, null, s.attention, s.sublayer, attentionWeightsOut);
            Kernels.addInPlace(x, s.sublayer, len);
            outputNorm.forward(x, n, s.normed);
            feedForward.forward(s.normed, n, s.intermediate, null, s.sublayer);
            Kernels.addInPlace(x, s.sublayer, len);
        }
    }
}
