package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Q8_0 blocks: llama.cpp's quantization rule, and the vector kernel against a plain double-precision loop. */
class Q8MatrixTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void everyValueIsWithinHalfAStepOfItsBlockScale() {
        int rows = 7, cols = 100;   // 100 = three full blocks and a short one of 4
        float[] w = random(rows * cols, 1);
        Q8Matrix q = Q8Matrix.quantize(w, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b * 32 < cols; b++) {
                float amax = 0;
                for (int c = b * 32; c < Math.min(cols, b * 32 + 32); c++) amax = Math.max(amax, Math.abs(w[r * cols + c]));
                float d = amax / 127f;
                float stored = Float.float16ToFloat(Float.floatToFloat16(d));
                for (int c = b * 32; c < Math.min(cols, b * 32 + 32); c++) {
                    // q = roundf(w / d) is within half a step of w / d; d·q then differs from w by d/2 plus fp16's rounding of d
                    float err = Math.abs(q.get(r, c) - w[r * cols + c]);
                    assertTrue(err <= d / 2 + 127 * Math.abs(stored - d) + 1e-6f, "w[" + r + "," + c + "] off by " + err + " with d " + d);
                }
            }
        }
    }

    @Test
    void theLargestValueOfABlockMapsTo127AndHalvesRoundAwayFromZero() {
        float[] w = new float[32];
        w[0] = -12.7f;        // amax: d = 0.1, q = -127
        w[1] = 0.25f;         // 2.5 steps: roundf gives 3, Math.round would give 3 too
        w[2] = -0.25f;        // -2.5 steps: roundf gives -3 (Math.round would give -2)
        Q8Matrix q = Q8Matrix.quantize(w, 1, 32);
        float d = Float.float16ToFloat(Float.floatToFloat16(0.1f));
        assertEquals(-127 * d, q.get(0, 0), 1e-7f);
        assertEquals(3 * d, q.get(0, 1), 1e-7f);
        assertEquals(-3 * d, q.get(0, 2), 1e-7f);
    }

    @Test
    void multiplyEqualsTheProductOfTheStoredValues() {
        // 172: stories260K's hidden size, not a multiple of 32 (a short last block); 256: whole blocks only
        for (int cols : new int[] {172, 256}) {
            multiplyEqualsTheProductOfTheStoredValues(1, cols);   // decoding: vector kernel on the bytes
            multiplyEqualsTheProductOfTheStoredValues(17, cols);  // a prompt: panels of weight rows widened once
        }
    }

    private static void multiplyEqualsTheProductOfTheStoredValues(int n, int cols) {
        int rows = 300;
        Q8Matrix q = Q8Matrix.quantize(random(rows * cols, 2), rows, cols);
        float[] x = random(n * cols, 3);
        float[] bias = random(rows, 4);
        float[] out = new float[n * rows];
        q.multiply(x, n, bias, out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows; j++) {
                double expected = bias[j];
                for (int c = 0; c < cols; c++) expected += (double) q.get(j, c) * x[i * cols + c];
                assertEquals(expected, out[i * rows + j], 1e-4 * (1 + Math.abs(expected)), "out[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void storesAQuarterOfFp32sBytesPlusTheScales() {
        Q8Matrix q = Q8Matrix.quantize(new float[64 * 64], 64, 64);
        assertEquals(64 * 64 + 2 * 64 * 2, q.bytes());
    }
}
