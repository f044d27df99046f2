package dev.streamformer.engine.java.layers;

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
    public void addAndNormalize(float[] x, float[] y, int n) {
        Kernels.addLayerNorm(x, y, n, dim, gamma, beta, eps);
    }
}
