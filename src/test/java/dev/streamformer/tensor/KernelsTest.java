package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vectorised kernels against plain double-precision loops written here. */
class KernelsTest {

    private final Random random = new Random(42);

    @Test
    void packedMatmulMatchesNaiveProductForAwkwardShapes() {
        int[][] shapes = {{1, 384, 384}, {7, 33, 5}, {13, 384, 1536}, {50, 1536, 384}, {3, 384, 2}, {6, 17, 64},
                {4, 64, 64}, {8, 40, 96}, {9, 40, 96}, {16, 384, 384}, {23, 70, 48}};
        for (int[] s : shapes) {
            int n = s[0], k = s[1], m = s[2];
            float[] x = randoms(n * k), w = randoms(m * k), bias = randoms(m);
            float[] out = new float[n * m];
            Kernels.matmulPacked(x, n, k, Kernels.pack(w, m, k), bias, m, out);
            float[] viaLinear = new float[n * m];
            Kernels.linear(x, n, k, w, bias, m, viaLinear);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double e = bias[j];
                    for (int p = 0; p < k; p++) e += (double) x[i * k + p] * w[j * k + p];
                    assertEquals(e, out[i * m + j], 1e-4 * Math.sqrt(k), "packed " + n + "x" + k + "x" + m + " at " + i + "," + j);
                    assertEquals(e, viaLinear[i * m + j], 1e-4 * Math.sqrt(k), "linear at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void everyRowCountGivesEachRowTheSameBitsAsTheRowAlone() {
        // rows run in blocks of 6, of 4, or one at a time depending on the row count: a row's result must not depend on
        // it. Shapes: small; a narrow last panel and no bias; big enough to be split over the cores.
        int[][] shapes = {{96, 64}, {200, 50}, {384, 200}};
        for (int[] shape : shapes) {
            int k = shape[0], m = shape[1];
            float[] w = randoms(m * k), bias = m == 50 ? null : randoms(m);
            float[] packed = Kernels.pack(w, m, k);
            for (int n = 1; n <= 60; n++) {
                float[] x = randoms(n * k);
                float[] together = new float[n * m];
                Kernels.matmulPacked(x, n, k, packed, bias, m, together);
                for (int i = 0; i < n; i++) {
                    float[] alone = new float[m];
                    Kernels.matmulPacked(java.util.Arrays.copyOfRange(x, i * k, (i + 1) * k), 1, k, packed, bias, m, alone);
                    assertArrayEquals(alone, java.util.Arrays.copyOfRange(together, i * m, (i + 1) * m),
                            "row " + i + " of " + n + " at " + k + "x" + m);
                }
            }
        }
    }

    @Test
    void fusedGeluEqualsProductThenGelu() {
        int n = 53, k = 40, m = 130;
        float[] x = randoms(n * k), w = randoms(m * k), bias = randoms(m);
        float[] fused = new float[n * m], plain = new float[n * m];
        float[] packed = Kernels.pack(w, m, k);
        Kernels.matmulPacked(x, n, k, packed, bias, m, fused, Kernels.Activation.GELU_ERF);
        Kernels.matmulPacked(x, n, k, packed, bias, m, plain);
        for (int i = 0; i < plain.length; i++) {
            double exact = 0.5 * plain[i] * (1 + Kernels.erf(plain[i] / Math.sqrt(2)));
            assertEquals(exact, fused[i], 1e-5 * Math.max(1, Math.abs(plain[i])));
        }
    }

    @Test
    void stridedMatmulReadsAndWritesViews() {
        int n = 7, m = 37, k = 32, aStride = 70, bStride = 40, cStride = 41;
        float[] a = randoms(3 + n * aStride), b = randoms(2 + k * bStride), c = new float[1 + n * cStride];
        Kernels.matmulStrided(n, m, k, 0.5f, a, 3, aStride, b, 2, bStride, c, 1, cStride);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double e = 0;
                for (int p = 0; p < k; p++) e += (double) a[3 + i * aStride + p] * b[2 + p * bStride + j];
                assertEquals(0.5 * e, c[1 + i * cStride + j], 1e-4);
            }
        }
    }

    @Test
    void geluErfIsCloseToTheExactFunction() {
        float[] x = new float[1001];
        for (int i = 0; i < x.length; i++) x[i] = -10f + i * 0.02f;
        float[] y = x.clone();
        Kernels.geluErf(y, y.length);
        for (int i = 0; i < x.length; i++) {
            double exact = 0.5 * x[i] * (1 + Kernels.erf(x[i] / Math.sqrt(2)));
            assertEquals(exact, y[i], 1e-6 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
        }
        assertEquals(0.8427007929497149, Kernels.erf(1.0), 1e-15); // erf(1), from tables
        assertEquals(0.9999779095030014, Kernels.erf(3.0), 1e-15); // erf(3)
    }

    @Test
    void softmaxAndLayerNormMatchDefinitions() {
        float[] x = randoms(37);
        float[] s = x.clone();
        Kernels.softmaxInPlace(s, 0, s.length);
        double z = 0;
        for (float v : x) z += Math.exp(v);
        for (int i = 0; i < x.length; i++) assertEquals(Math.exp(x[i]) / z, s[i], 1e-6);

        int d = 37;
        float[] gamma = randoms(d), beta = randoms(d), out = new float[2 * d];
        float[] rows = randoms(2 * d);
        Kernels.layerNorm(rows, 2, d, gamma, beta, 1e-12f, out);
        for (int r = 0; r < 2; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < d; j++) mean += rows[r * d + j];
            mean /= d;
            for (int j = 0; j < d; j++) var += Math.pow(rows[r * d + j] - mean, 2);
            var /= d;
            for (int j = 0; j < d; j++) {
                assertEquals((rows[r * d + j] - mean) / Math.sqrt(var + 1e-12) * gamma[j] + beta[j], out[r * d + j], 1e-5);
            }
        }
    }

    @Test
    void addLayerNormIsResidualThenNorm() {
        int n = 200, d = 48;
        float[] x = randoms(n * d), y = randoms(n * d), gamma = randoms(d), beta = randoms(d);
        float[] sum = x.clone();
        for (int i = 0; i < sum.length; i++) sum[i] += y[i];
        float[] expected = new float[n * d];
        Kernels.layerNorm(sum, n, d, gamma, beta, 1e-5f, expected);
        Kernels.addLayerNorm(x, y, n, d, gamma, beta, 1e-5f);
        assertArrayEquals(expected, x, 1e-5f);
    }

    private float[] randoms(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextGaussian();
        return a;
    }
}
