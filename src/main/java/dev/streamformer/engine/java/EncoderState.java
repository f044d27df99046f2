package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.BidirectionalSelfAttention;

/**
 * Scratch memory for one forward pass, llama2.c's {@code RunState}: every activation lives here, sized for the
 * largest batch seen so far and reused, so a steady stream of batches allocates nothing in the model code.
 * One per calling thread; never shared between concurrent calls.
 */
final class EncoderState {

    private final EncoderConfig config;
    private int tokenCapacity = -1;

    float[] x;             // (tokens, hidden)        the residual stream
    float[] sublayer;      // (tokens, hidden)        output of attention or feed-forward before the residual add
    float[] normed;        // (tokens, hidden)        pre-LN input of a sub-layer
    float[] intermediate;  // (tokens, intermediate)  feed-forward middle
    final BidirectionalSelfAttention.Scratch attention;  // queries, keys, values, scores: sized by the attention itself

    EncoderState(EncoderConfig config) {
        this.config = config;
        this.attention = new BidirectionalSelfAttention.Scratch(config.heads(), config.headDim());
    }

    /** Makes room for {@code tokens} packed tokens. */
    void ensure(int tokens) {
        if (tokens > tokenCapacity) {
            int n = Math.max(tokens, 64);
            int h = config.hidden();
            x = new float[n * h];
            sublayer = new float[n * h];
            normed = config.norm() == EncoderConfig.NormPlacement.PRE_LN ? new float[n * h] : null;
            intermediate = new float[n * config.intermediate()];
            tokenCapacity = n;
        }
    }
}
