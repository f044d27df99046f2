package dev.streamformer.engine.java.decoder;

import dev.streamformer.tensor.Kernels;

/**
 * A linear layer {@code y = x · Wᵀ + b} with {@code W} stored {@code [out, in]}: the one place the decoders multiply
 * by a weight matrix.
 *
 * <p>TODO(engine): once {@code Kernels.pack}/{@code matmulPacked} are on main, pack {@code W} here once and use the
 * packed product for calls with several rows (prefill, batched decoding), keeping {@link Kernels#linear} for one
 * row. Measured with the engine branch's kernels (2 cores, GenerateBenchmark): newsgpt-mini prefill 3.5k → 12k
 * tokens/s and batch-8 decoding 1.2k → 4.1k new tokens/s; a single row stays faster on {@code linear}.
 */
record Linear(float[] weight, float[] bias, int in, int out) {

    Linear {
        if (weight.length != in * out) {
            throw new IllegalArgumentException("weight of " + weight.length + " values is not [" + out + ", " + in + "]");
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias of " + bias.length + " values does not match " + out + " outputs");
        }
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    void apply(float[] x, int n, float[] y) {
        Kernels.linear(x, n, in, weight, bias, out, y);
    }
}
