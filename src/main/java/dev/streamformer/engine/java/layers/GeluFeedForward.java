package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

/**
 * The position-wise feed-forward network of "Attention Is All You Need" with GELU, as BERT and GPT-2 have it:
 * {@code down( GELU(up(x)) )}, hidden → intermediate (usually 4·hidden) → hidden, with biases.
 *
 * @param gelu the erf GELU (BERT's "gelu") or its tanh approximation (GPT-2's "gelu_new")
 */
public record GeluFeedForward(Linear up, Linear down, Kernels.Activation gelu) implements Mlp {

    @Override
    public void forward(float[] x, int rows, float[] wide, float[] unused, float[] out) {
        up.forward(x, rows, wide, gelu);   // the activation is applied tile by tile inside the product
        down.forward(wide, rows, out);
    }
}
