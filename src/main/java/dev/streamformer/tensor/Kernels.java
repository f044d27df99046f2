package dev.streamformer.tensor;

/**
 * The numeric kernels every engine uses, in one small place. Model code calls these and nothing
 * lower-level, so speed work (Vector API, cache blocking, threads) happens here and only here.
 *
 * <p>Layout conventions: matrices are row-major {@code float[]}; a weight matrix of a linear layer is
 * stored {@code [out, in]} (one row per output feature, as PyTorch's {@code nn.Linear} keeps it).
 * Loaders transpose other layouts (ONNX MatMul initializers, GPT-2 Conv1D) once, at load.
 */
public final class Kernels {

    private Kernels() {}

    /**
     * A linear layer on {@code n} rows: {@code out[n, m] = x[n, k] · wᵀ + bias}, with {@code w} of shape {@code [m, k]}.
     *
     * @param bias may be null
     */
    public static void linear(float[] x, int n, int k, float[] w, float[] bias, int m, float[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                float s = bias == null ? 0f : bias[j];
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[j * k + p];
                out[i * m + j] = s;
            }
        }
    }

    /** Dot product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < len}. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** {@code x[i] += y[i]} over the whole array (the residual connection). */
    public static void addInPlace(float[] x, float[] y, int len) {
        for (int i = 0; i < len; i++) x[i] += y[i];
    }

    /** Softmax of {@code x[off, off+len)} in place; subtracts the max first so exp never overflows. */
    public static void softmaxInPlace(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) max = Math.max(max, x[off + i]);
        float sum = 0f;
        for (int i = 0; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < len; i++) x[off + i] *= inv;
    }

    /** LayerNorm over each of {@code n} rows of width {@code d}: {@code (x - mean) / sqrt(var + eps) * gamma + beta}. */
    public static void layerNorm(float[] x, int n, int d, float[] gamma, float[] beta, float eps, float[] out) {
        for (int i = 0; i < n; i++) {
            int o = i * d;
            float mean = 0f;
            for (int j = 0; j < d; j++) mean += x[o + j];
            mean /= d;
            float var = 0f;
            for (int j = 0; j < d; j++) {
                float c = x[o + j] - mean;
                var += c * c;
            }
            var /= d;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            for (int j = 0; j < d; j++) {
                float g = gamma == null ? 1f : gamma[j];
                float b = beta == null ? 0f : beta[j];
                out[o + j] = (x[o + j] - mean) * inv * g + b;
            }
        }
    }

    /** RMSNorm over each of {@code n} rows of width {@code d}: {@code x / sqrt(mean(x²) + eps) * gamma}. */
    public static void rmsNorm(float[] x, int n, int d, float[] gamma, float eps, float[] out) {
        for (int i = 0; i < n; i++) {
            int o = i * d;
            float ss = 0f;
            for (int j = 0; j < d; j++) ss += x[o + j] * x[o + j];
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            for (int j = 0; j < d; j++) out[o + j] = x[o + j] * inv * gamma[j];
        }
    }

    /** GELU with the exact Gauss error function, {@code x * Φ(x)}, in place. */
    public static void geluErf(float[] x, int len) {
        for (int i = 0; i < len; i++) x[i] = (float) (0.5 * x[i] * (1.0 + erf(x[i] / Math.sqrt(2.0))));
    }

    /** GELU with the tanh approximation (GPT-2's {@code gelu_new}), in place. */
    public static void geluTanh(float[] x, int len) {
        final double c = Math.sqrt(2.0 / Math.PI);
        for (int i = 0; i < len; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Math.tanh(c * (v + 0.044715 * v * v * v))));
        }
    }

    /** SiLU (swish), {@code x * sigmoid(x)}, in place. */
    public static void silu(float[] x, int len) {
        for (int i = 0; i < len; i++) x[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
    }

    /**
     * The error function, to double precision (W. J. Cody's rational approximations, as used by many libms).
     * Java has no {@code Math.erf}.
     */
    public static double erf(double x) {
        // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use a high-precision series/continued fraction instead.
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Taylor series: erf(x) = 2/sqrt(pi) * sum_{n} (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2.0 / Math.sqrt(Math.PI) * sum;
        } else {
            // Continued fraction for erfc(x), converges fast for x >= 2.5
            double f = 0.0;
            for (int n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
            double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
            r = 1.0 - erfc;
        }
        return x < 0 ? -r : r;
    }
}
