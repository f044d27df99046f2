package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

/**
 * Root-mean-square layer norm (Zhang & Sennrich 2019): {@code x / sqrt(mean(x²) + eps) · w}. No mean is
 * subtracted and there is no bias; Llama-family models use it in place of LayerNorm.
 *
 * @param weight the learned gain {@code w}, one per feature
 */
public record RmsNorm(float[] weight, float eps) implements Norm {

    /** Normalizes {@code rows} rows of {@code weight.length} features from {@code x} into {@code out} (may be {@code x}). */
    @Override
    public void forward(float[] x, int rows, float[] out) {
        Kernels.rmsNorm(x, rows, weight.length, weight, eps, out);
    }

    /** Normalizes {@code rows} rows starting at {@code x[offset]} into {@code out} at the same offset (may be {@code x}). */
    public void forward(float[] x, int offset, int rows, float[] out) {
        Kernels.rmsNorm(x, offset, rows, weight.length, weight, eps, out);
    }

    @Override
    public int features() {
        return weight.length;
    }
}
