package dev.streamformer.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * The numeric kernels every engine uses, in one small place. Model code calls these and nothing
 * lower-level, so speed work (Vector API, cache blocking, threads) happens here and only here.
 *
 * <p>Layout conventions: matrices are row-major {@code float[]}; a weight matrix of a linear layer is
 * stored {@code [out, in]} (one row per output feature, as PyTorch's {@code nn.Linear} keeps it).
 * Loaders transpose other layouts (ONNX MatMul initializers, GPT-2 Conv1D) once, at load.
 *
 * <p>Speed: loops run on the Vector API's preferred species (16 floats on AVX-512, 8 on AVX2). Big matrix
 * products run on {@link #pack packed} weights with a register-blocked micro-kernel, split over the cores
 * with parallel streams on the common ForkJoinPool: one CPU-sized pool for the whole JVM, so several
 * stream threads calling at once share the cores instead of each starting its own threads.
 */
public final class Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private Kernels() {}

    // ---------------------------------------------------------------------------------------------
    // Matrix products

    /**
     * A linear layer on {@code n} rows: {@code out[n, m] = x[n, k] · wᵀ + bias}, with {@code w} of shape {@code [m, k]}.
     * One dot product per output: the right shape for a few rows (decoding); {@link #matmulPacked} is faster for many.
     *
     * @param bias may be null
     */
    public static void linear(float[] x, int n, int k, float[] w, float[] bias, int m, float[] out) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                out[i * m + j] = dot(x, i * k, w, j * k, k) + (bias == null ? 0f : bias[j]);
            }
        }
    }

    /** Width of one column panel of a packed weight matrix: two vectors. */
    public static final int PANEL = 2 * L;
    /** Rows of x the micro-kernel keeps in flight: 6 rows × 2 vectors = 12 accumulator registers. */
    private static final int MR = 6;
    /** Below this many multiply-adds a product runs on the calling thread: forking would cost more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1L << 19;

    /**
     * Repacks a linear weight {@code w[m, k]} into column panels for {@link #matmulPacked}: panel {@code p} holds
     * columns {@code [p·PANEL, (p+1)·PANEL)} of {@code wᵀ}, one row of PANEL floats per input feature, so the
     * micro-kernel reads weights front to back. Columns past {@code m} are zero.
     */
    public static float[] pack(float[] w, int m, int k) {
        if (w.length != m * k) throw new IllegalArgumentException("weight of " + w.length + " values is not [" + m + ", " + k + "]");
        int panels = (m + PANEL - 1) / PANEL;
        float[] packed = new float[panels * k * PANEL];
        for (int p = 0; p < panels; p++) {
            for (int c = 0; c < PANEL && p * PANEL + c < m; c++) {
                int row = (p * PANEL + c) * k;
                for (int kk = 0; kk < k; kk++) packed[(p * k + kk) * PANEL + c] = w[row + kk];
            }
        }
        return packed;
    }

    /**
     * {@code out[n, m] = x[n, k] · wᵀ + bias} with {@code w} {@link #pack packed}. Work is cut into tiles of
     * (up to 48 rows) × (one panel) and the tiles spread over the cores.
     *
     * @param bias may be null
     */
    public static void matmulPacked(float[] x, int n, int k, float[] packed, float[] bias, int m, float[] out) {
        int panels = (m + PANEL - 1) / PANEL;
        if (packed.length != panels * k * PANEL) throw new IllegalArgumentException("packed weight does not match [" + m + ", " + k + "]");
        final int rowTile = 8 * MR;
        int rowTiles = (n + rowTile - 1) / rowTile;
        int tiles = rowTiles * panels;
        IntStream range = IntStream.range(0, tiles);
        if ((long) n * m * k >= PARALLEL_THRESHOLD) range = range.parallel();
        range.forEach(t -> {
            int p = t % panels;
            int r0 = (t / panels) * rowTile;
            int r1 = Math.min(n, r0 + rowTile);
            if ((p + 1) * PANEL <= m) {
                int r = r0;
                for (; r + MR <= r1; r += MR) kernel6(x, r, k, packed, p, bias, m, out);
                for (; r < r1; r++) kernel1(x, r, k, packed, p, bias, m, out);
            } else {
                for (int r = r0; r < r1; r++) edgeColumns(x, r, k, packed, p, bias, m, out);
            }
        });
    }

    /** Six rows × one full panel: 12 accumulators stay in registers while k streams by. */
    private static void kernel6(float[] x, int r, int k, float[] packed, int p, float[] bias, int m, float[] out) {
        int j = p * PANEL;
        FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j);
        FloatVector b1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j + L);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1;
        FloatVector a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
        int x0 = r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k;
        int w = p * k * PANEL;
        for (int kk = 0; kk < k; kk++, w += PANEL) {
            FloatVector w0 = FloatVector.fromArray(S, packed, w);
            FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + kk]);
            a00 = v.fma(w0, a00); a01 = v.fma(w1, a01);
            v = FloatVector.broadcast(S, x[x1 + kk]);
            a10 = v.fma(w0, a10); a11 = v.fma(w1, a11);
            v = FloatVector.broadcast(S, x[x2 + kk]);
            a20 = v.fma(w0, a20); a21 = v.fma(w1, a21);
            v = FloatVector.broadcast(S, x[x3 + kk]);
            a30 = v.fma(w0, a30); a31 = v.fma(w1, a31);
            v = FloatVector.broadcast(S, x[x4 + kk]);
            a40 = v.fma(w0, a40); a41 = v.fma(w1, a41);
            v = FloatVector.broadcast(S, x[x5 + kk]);
            a50 = v.fma(w0, a50); a51 = v.fma(w1, a51);
        }
        int o = r * m + j;
        a00.intoArray(out, o); a01.intoArray(out, o + L); o += m;
        a10.intoArray(out, o); a11.intoArray(out, o + L); o += m;
        a20.intoArray(out, o); a21.intoArray(out, o + L); o += m;
        a30.intoArray(out, o); a31.intoArray(out, o + L); o += m;
        a40.intoArray(out, o); a41.intoArray(out, o + L); o += m;
        a50.intoArray(out, o); a51.intoArray(out, o + L);
    }

    /** One row × one full panel, for the rows left over after the six-row blocks. */
    private static void kernel1(float[] x, int r, int k, float[] packed, int p, float[] bias, int m, float[] out) {
        int j = p * PANEL;
        FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j);
        FloatVector a1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j + L);
        int x0 = r * k;
        int w = p * k * PANEL;
        for (int kk = 0; kk < k; kk++, w += PANEL) {
            FloatVector v = FloatVector.broadcast(S, x[x0 + kk]);
            a0 = v.fma(FloatVector.fromArray(S, packed, w), a0);
            a1 = v.fma(FloatVector.fromArray(S, packed, w + L), a1);
        }
        a0.intoArray(out, r * m + j);
        a1.intoArray(out, r * m + j + L);
    }

    /** The last, partly filled panel (m not a multiple of PANEL, e.g. a 2-label classifier): plain loops. */
    private static void edgeColumns(float[] x, int r, int k, float[] packed, int p, float[] bias, int m, float[] out) {
        for (int c = 0; p * PANEL + c < m; c++) {
            int j = p * PANEL + c;
            float s = 0f;
            for (int kk = 0; kk < k; kk++) s += x[r * k + kk] * packed[(p * k + kk) * PANEL + c];
            out[r * m + j] = s + (bias == null ? 0f : bias[j]);
        }
    }

    /**
     * A small strided matrix product, {@code c[i, j] = alpha · Σ_p a[i, p] · b[p, j]} for {@code i < n, j < m, p < k},
     * where {@code a[i, p] = a[aOff + i·aStride + p]}, {@code b[p, j] = b[bOff + p·bStride + j]} and
     * {@code c[i, j] = c[cOff + i·cStride + j]}. Attention's per-head products (Q·Kᵀ, P·V) are such views into
     * wider activations. Single-threaded: callers parallelise over heads.
     */
    public static void matmulStrided(int n, int m, int k, float alpha, float[] a, int aOff, int aStride,
                                     float[] b, int bOff, int bStride, float[] c, int cOff, int cStride) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * aStride;
            int ci = cOff + i * cStride;
            int j = 0;
            for (; j <= m - 2 * L; j += 2 * L) {
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                for (int p = 0, bp = bOff + j; p < k; p++, bp += bStride) {
                    FloatVector v = FloatVector.broadcast(S, a[ai + p]);
                    acc0 = v.fma(FloatVector.fromArray(S, b, bp), acc0);
                    acc1 = v.fma(FloatVector.fromArray(S, b, bp + L), acc1);
                }
                acc0.mul(alpha).intoArray(c, ci + j);
                acc1.mul(alpha).intoArray(c, ci + j + L);
            }
            for (; j < m; j += L) {
                var mask = S.indexInRange(j, m);
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0, bp = bOff + j; p < k; p++, bp += bStride) {
                    acc = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bp, mask), acc);
                }
                acc.mul(alpha).intoArray(c, ci + j, mask);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Vector primitives

    /** Dot product of {@code a[aOff, aOff+len)} and {@code b[bOff, bOff+len)}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= len - L; i += L) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < len}. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int len) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    /** {@code x[i] += y[i]} over the whole array (the residual connection). */
    public static void addInPlace(float[] x, float[] y, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector.fromArray(S, x, i).add(FloatVector.fromArray(S, y, i)).intoArray(x, i);
        }
        for (; i < len; i++) x[i] += y[i];
    }

    /** {@code x[off + i] *= alpha} for {@code i < len}. */
    public static void scale(float[] x, int off, int len, float alpha) {
        int i = 0;
        for (; i <= len - L; i += L) FloatVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        for (; i < len; i++) x[off + i] *= alpha;
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax and norms

    /** Softmax of {@code x[off, off+len)} in place; subtracts the max first so exp never overflows. */
    public static void softmaxInPlace(float[] x, int off, int len) {
        int i = 0;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (; i <= len - L; i += L) vmax = vmax.max(FloatVector.fromArray(S, x, off + i));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) max = Math.max(max, x[off + i]);
        FloatVector vsum = FloatVector.zero(S);
        i = 0;
        for (; i <= len - L; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, len, 1f / sum);
    }

    /** LayerNorm over each of {@code n} rows of width {@code d}: {@code (x - mean) / sqrt(var + eps) * gamma + beta}. */
    public static void layerNorm(float[] x, int n, int d, float[] gamma, float[] beta, float eps, float[] out) {
        for (int i = 0; i < n; i++) layerNormRow(x, i * d, d, gamma, beta, eps, out);
    }

    private static void layerNormRow(float[] x, int o, int d, float[] gamma, float[] beta, float eps, float[] out) {
        FloatVector vs = FloatVector.zero(S);
        int j = 0;
        for (; j <= d - L; j += L) vs = vs.add(FloatVector.fromArray(S, x, o + j));
        float sum = vs.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) sum += x[o + j];
        float mean = sum / d;
        // variance from the centred values (two passes), as the ONNX graph and PyTorch compute it
        FloatVector vq = FloatVector.zero(S);
        j = 0;
        for (; j <= d - L; j += L) {
            FloatVector c = FloatVector.fromArray(S, x, o + j).sub(mean);
            vq = c.fma(c, vq);
        }
        float sq = vq.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) sq += (x[o + j] - mean) * (x[o + j] - mean);
        float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
        j = 0;
        if (gamma != null && beta != null) {
            for (; j <= d - L; j += L) {
                FloatVector.fromArray(S, x, o + j).sub(mean).mul(inv)
                        .fma(FloatVector.fromArray(S, gamma, j), FloatVector.fromArray(S, beta, j)).intoArray(out, o + j);
            }
        }
        for (; j < d; j++) {
            float g = gamma == null ? 1f : gamma[j];
            float b = beta == null ? 0f : beta[j];
            out[o + j] = (x[o + j] - mean) * inv * g + b;
        }
    }

    /** RMSNorm over each of {@code n} rows of width {@code d}: {@code x / sqrt(mean(x²) + eps) * gamma}. */
    public static void rmsNorm(float[] x, int n, int d, float[] gamma, float eps, float[] out) {
        for (int i = 0; i < n; i++) {
            int o = i * d;
            float ss = dot(x, o, x, o, d);
            float inv = (float) (1.0 / Math.sqrt(ss / d + eps));
            int j = 0;
            for (; j <= d - L; j += L) {
                FloatVector.fromArray(S, x, o + j).mul(inv).mul(FloatVector.fromArray(S, gamma, j)).intoArray(out, o + j);
            }
            for (; j < d; j++) out[o + j] = x[o + j] * inv * gamma[j];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Activations

    /** GELU with the exact Gauss error function, {@code x * Φ(x)}, in place. */
    public static void geluErf(float[] x, int len) {
        geluErf(x, 0, len);
    }

    /**
     * GELU, {@code 0.5·x·(1 + erf(x/√2))}, on {@code x[off, off+len)} in place. erf comes from Abramowitz &amp; Stegun
     * 7.1.26 (absolute error below 1.5e-7, about fp32 rounding), which vectorises: one exp and a polynomial.
     */
    public static void geluErf(float[] x, int off, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            v.mul(0.5f).mul(erf(v.mul((float) (1 / Math.sqrt(2)))).add(1f)).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] = (float) (0.5 * x[off + i] * (1.0 + erf(x[off + i] / Math.sqrt(2.0))));
    }

    private static FloatVector erf(FloatVector z) {
        FloatVector a = z.abs();
        FloatVector t = a.mul(0.3275911f).add(1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        FloatVector poly = t.mul(1.061405429f).add(-1.453152027f)
                .fma(t, FloatVector.broadcast(S, 1.421413741f))
                .fma(t, FloatVector.broadcast(S, -0.284496736f))
                .fma(t, FloatVector.broadcast(S, 0.254829592f))
                .mul(t);
        FloatVector e = a.mul(a).neg().lanewise(VectorOperators.EXP);
        FloatVector r = poly.mul(e).neg().add(1f);
        return r.blend(r.neg(), z.lt(0f)); // erf is odd
    }

    /** GELU with the tanh approximation (GPT-2's {@code gelu_new}), in place. */
    public static void geluTanh(float[] x, int len) {
        geluTanh(x, 0, len);
    }

    /** GELU with the tanh approximation on {@code x[off, off+len)} in place. */
    public static void geluTanh(float[] x, int off, int len) {
        final float c = (float) Math.sqrt(2.0 / Math.PI);
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector inner = v.mul(v).mul(v).mul(0.044715f).add(v).mul(c);
            v.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f)).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            double v = x[off + i];
            x[off + i] = (float) (0.5 * v * (1.0 + Math.tanh(c * (v + 0.044715 * v * v * v))));
        }
    }

    /** SiLU (swish), {@code x * sigmoid(x)}, in place. */
    public static void silu(float[] x, int len) {
        for (int i = 0; i < len; i++) x[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
    }

    /**
     * The error function, to double precision (Taylor series near zero, continued fraction for erfc beyond 2.5).
     * Java has no {@code Math.erf}.
     */
    public static double erf(double x) {
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
