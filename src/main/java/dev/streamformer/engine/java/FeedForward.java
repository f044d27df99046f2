package dev.streamformer.engine.java;

import dev.streamformer.tensor.Kernels;

/** The position-wise feed-forward network: {@code down(GELU(up(x)))}, hidden → intermediate → hidden. */
final class FeedForward {

    private final Linear up;
    private final Linear down;
    private final Kernels.Activation activation;

    FeedForward(Linear up, Linear down, EncoderConfig.Activation activation) {
        this.up = up;
        this.down = down;
        this.activation = switch (activation) {
            case GELU_ERF -> Kernels.Activation.GELU_ERF;
            case GELU_TANH -> Kernels.Activation.GELU_TANH;
        };
    }

    /** BERT names: {@code <layer>.intermediate.dense} (up) and {@code <layer>.output.dense} (down). */
    static FeedForward load(WeightSource w, String layer, EncoderConfig c) {
        return new FeedForward(
                Linear.load(w, layer + ".intermediate.dense", c.hidden(), c.intermediate()),
                Linear.load(w, layer + ".output.dense", c.intermediate(), c.hidden()),
                c.activation());
    }

    /** {@code out[n, hidden] = FFN(x[n, hidden])}, using {@code s.intermediate} for the wide middle. */
    void forward(float[] x, int n, EncoderState s, float[] out) {
        float[] mid = s.intermediate;          // (n, intermediate)
        up.forward(x, n, mid, activation);     // GELU(x·W_upᵀ + b), applied tile by tile inside the product
        down.forward(mid, n, out);
    }
}
