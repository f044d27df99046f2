package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

/**
 * A gated feed-forward network (Shazeer 2020): {@code down( act(gate(x)) ⊙ up(x) )}, hidden → intermediate → hidden.
 * The gate decides, feature by feature, how much of {@code up(x)} passes. The Llama lineage gates with SiLU (SwiGLU),
 * T5 v1.1 with the tanh GELU (GeGLU; its {@code wi_0} is the gate, {@code wi_1} the up projection, {@code wo} down).
 *
 * <p>The gate and up projections read the same x, so they run as one product ({@link Linear#stacked}): each row of
 * its output holds {@code [gate(x) | up(x)]}.
 */
public final class GatedFeedForward implements Mlp {

    /** The activation on the gate. */
    public enum Gate { SILU, GELU_TANH }

    private final Linear gateAndUp;   // hidden → [gate | up], 2·intermediate outputs
    private final Linear down;        // intermediate → hidden
    private final int intermediate;
    private final Gate activation;

    public GatedFeedForward(Linear gate, Linear up, Linear down, Gate activation) {
        if (gate.out() != up.out()) throw new IllegalArgumentException("gate and up projections differ in width: " + gate.out() + " and " + up.out());
        this.gateAndUp = Linear.stacked(gate, up);
        this.down = down;
        this.intermediate = gate.out();
        this.activation = activation;
    }

    /** SwiGLU, the Llama lineage's. */
    public GatedFeedForward(Linear gate, Linear up, Linear down) {
        this(gate, up, down, Gate.SILU);
    }

    /**
     * {@code out[rows, hidden]} from {@code x[rows, hidden]}; {@code gated} is scratch of {@code [rows, intermediate]},
     * {@code gateUp} of {@code [rows, 2·intermediate]}.
     */
    @Override
    public void forward(float[] x, int rows, float[] gated, float[] gateUp, float[] out) {
        int width = intermediate;
        gateAndUp.forward(x, rows, gateUp);                    // row r: gate(x_r) at [2r·width, ...), up(x_r) after it
        for (int r = 0; r < rows; r++) {
            int g = 2 * r * width, u = g + width;
            switch (activation) {
                case SILU -> Kernels.silu(gateUp, g, width);
                case GELU_TANH -> Kernels.geluTanh(gateUp, g, width);
            }
            Kernels.multiply(gateUp, g, gateUp, u, gated, r * width, width);   // act(gate) ⊙ up
        }
        down.forward(gated, rows, out);
    }
}
