package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

/**
 * A gated feed-forward network (Shazeer 2020): {@code down( act(gate(x)) ⊙ up(x) )}, hidden → intermediate → hidden.
 * The gate decides, feature by feature, how much of {@code up(x)} passes. The Llama lineage gates with SiLU (SwiGLU),
 * T5 v1.1 with the tanh GELU (GeGLU; its {@code wi_0} is the gate, {@code wi_1} the up projection, {@code wo} down).
 */
public record GatedFeedForward(Linear gate, Linear up, Linear down, Gate activation) implements Mlp {

    /** The activation on the gate. */
    public enum Gate { SILU, GELU_TANH }

    /** SwiGLU, the Llama lineage's. */
    public GatedFeedForward(Linear gate, Linear up, Linear down) {
        this(gate, up, down, Gate.SILU);
    }

    /**
     * {@code out[rows, hidden]} from {@code x[rows, hidden]}; {@code gated} and {@code upped} are scratch of
     * {@code [rows, intermediate]}.
     */
    @Override
    public void forward(float[] x, int rows, float[] gated, float[] upped, float[] out) {
        gate.forward(x, rows, gated);
        up.forward(x, rows, upped);
        int len = rows * gate.out();
        switch (activation) {
            case SILU -> Kernels.silu(gated, len);
            case GELU_TANH -> Kernels.geluTanh(gated, len);
        }
        for (int i = 0; i < len; i++) gated[i] *= upped[i];
        down.forward(gated, rows, out);
    }
}
