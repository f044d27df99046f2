package dev.streamformer.engine.java;

import dev.streamformer.tensor.Kernels;

/** Layer normalisation over the hidden features of each token: {@code (x − mean) / sqrt(var + eps) · γ + β}. */
public final class LayerNorm implements Norm {

    private final float[] gamma;
    private final float[] beta;
    private final float eps;
    private final int dim;

    public LayerNorm(float[] gamma, float[] beta, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.dim = gamma.length;
    }

    /** Loads {@code <name>.weight} (γ) and {@code <name>.bias} (β), both {@code [dim]}. */
    static LayerNorm load(WeightSource weights, String name, int dim, float eps) {
        return new LayerNorm(weights.get(name + ".weight", dim), weights.get(name + ".bias", dim), eps);
    }

    /** Normalises {@code n} rows of {@code x [n, dim]} into {@code out} (which may be {@code x}). */
    @Override
    public void forward(float[] x, int n, float[] out) {
        Kernels.layerNorm(x, n, dim, gamma, beta, eps, out);
    }

    @Override
    public int features() {
        return dim;
    }

    /** The residual connection and this norm in one pass: {@code x = LayerNorm(x + y)} on {@code n} rows. */
    void addAndNormalize(float[] x, float[] y, int n) {
        Kernels.addLayerNorm(x, y, n, dim, gamma, beta, eps);
    }
}
