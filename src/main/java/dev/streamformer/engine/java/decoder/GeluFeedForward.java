package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.tensor.Kernels;

/**
 * GPT-2's MLP: {@code down( gelu_new(up(x)) )}, hidden → intermediate (4·hidden) → hidden, with biases. {@code gelu_new}
 * is the tanh approximation of GELU.
 */
record GeluFeedForward(Linear up, Linear down) implements Mlp {

    @Override
    public void forward(float[] x, int rows, float[] wide, float[] unused, float[] out) {
        up.forward(x, rows, wide, Kernels.Activation.GELU_TANH);   // the activation is applied inside the product
        down.forward(wide, rows, out);
    }
}
