package dev.streamformer.engine.java;

import dev.streamformer.tensor.Kernels;

/**
 * A fully connected layer, {@code y = x·Wᵀ + b}. The weight arrives as {@code [out, in]} and is repacked once,
 * at load, into the panel layout the fast matrix kernel streams through.
 */
final class Linear {

    final int in;
    final int out;
    private final float[] packedWeight;
    private final float[] bias;

    Linear(float[] weight, float[] bias, int in, int out) {
        this.in = in;
        this.out = out;
        this.packedWeight = Kernels.pack(weight, out, in);
        this.bias = bias;
    }

    /** Loads {@code <name>.weight [out, in]} and {@code <name>.bias [out]}. */
    static Linear load(WeightSource weights, String name, int in, int out) {
        return new Linear(weights.get(name + ".weight", out, in), weights.get(name + ".bias", out), in, out);
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    void forward(float[] x, int n, float[] y) {
        Kernels.matmulPacked(x, n, in, packedWeight, bias, out, y);
    }

    /** {@code y[n, out] = act(x[n, in] · Wᵀ + b)}. */
    void forward(float[] x, int n, float[] y, Kernels.Activation act) {
        Kernels.matmulPacked(x, n, in, packedWeight, bias, out, y, act);
    }
}
