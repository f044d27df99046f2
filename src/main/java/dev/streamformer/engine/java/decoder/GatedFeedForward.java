package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.tensor.Kernels;

/**
 * The gated feed-forward network of Llama-family models (SwiGLU, Shazeer 2020):
 * {@code down( silu(gate(x)) ⊙ up(x) )}, hidden → intermediate → hidden. The gate decides, feature by feature,
 * how much of {@code up(x)} passes.
 */
record GatedFeedForward(Linear gate, Linear up, Linear down) implements Mlp {

    /**
     * {@code out[rows, hidden]} from {@code x[rows, hidden]}; {@code gated} and {@code upped} are scratch of
     * {@code [rows, intermediate]}.
     */
    @Override
    public void forward(float[] x, int rows, float[] gated, float[] upped, float[] out) {
        gate.forward(x, rows, gated);
        up.forward(x, rows, upped);
        int len = rows * gate.out();
        Kernels.silu(gated, len);
        for (int i = 0; i < len; i++) gated[i] *= upped[i];
        down.forward(gated, rows, out);
    }
}
