package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bf16 weights: exact widening, and the vector kernel against a plain double-precision loop. */
class Bf16MatrixTest {

    @Test
    void multiplyEqualsTheProductOfTheWidenedValues() {
        multiplyEqualsTheProductOfTheWidenedValues(3);   // decoding rows: the pair kernel
        multiplyEqualsTheProductOfTheWidenedValues(17);  // a prompt: panels of rows widened once
    }

    private static void multiplyEqualsTheProductOfTheWidenedValues(int n) {
        int rows = 70, cols = 101;   // 101: odd (a half-empty last pair) and not a multiple of the vector width
        Random r = new Random(7);
        short[] bits = new short[rows * cols];
        for (int i = 0; i < bits.length; i++) bits[i] = (short) (Float.floatToIntBits((float) r.nextGaussian()) >>> 16);
        Bf16Matrix w = new Bf16Matrix(bits, rows, cols);
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] bias = new float[rows];
        for (int i = 0; i < rows; i++) bias[i] = i * 0.01f;
        float[] out = new float[n * rows];
        w.multiply(x, n, bias, out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rows; j++) {
                double expected = bias[j];
                for (int c = 0; c < cols; c++) {
                    expected += (double) Float.intBitsToFloat((bits[j * cols + c] & 0xFFFF) << 16) * x[i * cols + c];
                }
                assertEquals(expected, out[i * rows + j], 1e-4 * (1 + Math.abs(expected)), "out[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void negativeValuesWidenExactly() {
        short minusOneAndAHalf = (short) (Float.floatToIntBits(-1.5f) >>> 16);
        Bf16Matrix w = new Bf16Matrix(new short[] {minusOneAndAHalf}, 1, 1);
        assertEquals(-1.5f, w.get(0, 0));
        assertEquals(-1.5f, w.toFloats()[0]);
    }
}
