package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Bf16Matrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A stacked layer (q, k, v or gate, up as one product) gives each part's outputs exactly, in every weight form. */
class LinearTest {

    private static final int IN = 96;
    private static final int[] OUTS = {64, 32, 40};   // a query-wide part and two narrower ones, one not a panel multiple

    @Test
    void stackedEqualsItsPartsInFp32() {
        check(UnaryOperator.identity(), true);
    }

    @Test
    void stackedEqualsItsPartsInQ8() {
        check(Linear::quantized, false);
    }

    @Test
    void stackedEqualsItsPartsInBf16() {
        Random random = new Random(3);
        Linear[] parts = new Linear[OUTS.length];
        for (int i = 0; i < parts.length; i++) {
            short[] bits = new short[OUTS[i] * IN];
            for (int j = 0; j < bits.length; j++) bits[j] = (short) (Float.floatToIntBits((float) random.nextGaussian()) >>> 16);
            parts[i] = new Linear(new Bf16Matrix(bits, OUTS[i], IN), i == 1 ? null : randoms(random, OUTS[i]));
        }
        compare(parts, random);
    }

    @Test
    void refusesPartsOfDifferentForms() {
        Random random = new Random(4);
        Linear a = new Linear(randoms(random, 8 * IN), null, IN, 8);
        Linear b = new Linear(randoms(random, 8 * IN), null, IN, 8).quantized();
        assertThrows(IllegalArgumentException.class, () -> Linear.stacked(a, b));
    }

    private static void check(UnaryOperator<Linear> form, boolean withBiases) {
        Random random = new Random(2);
        Linear[] parts = new Linear[OUTS.length];
        for (int i = 0; i < parts.length; i++) {
            float[] bias = withBiases && i != 1 ? randoms(random, OUTS[i]) : null;   // a part without bias counts as zeros
            parts[i] = form.apply(new Linear(randoms(random, OUTS[i] * IN), bias, IN, OUTS[i]));
        }
        compare(parts, random);
    }

    /** One row (a decoding step) and 37 rows (a prompt: the multi-row kernels). */
    private static void compare(Linear[] parts, Random random) {
        Linear stacked = Linear.stacked(parts);
        int total = Arrays.stream(OUTS).sum();
        for (int n : new int[] {1, 37}) {
            float[] x = randoms(random, n * IN);
            float[] y = new float[n * total];
            stacked.forward(x, n, y);
            for (int i = 0, at = 0; i < parts.length; at += OUTS[i], i++) {
                float[] part = new float[n * OUTS[i]];
                parts[i].forward(x, n, part);
                for (int r = 0; r < n; r++) {
                    float[] fromStack = Arrays.copyOfRange(y, r * total + at, r * total + at + OUTS[i]);
                    float[] alone = Arrays.copyOfRange(part, r * OUTS[i], (r + 1) * OUTS[i]);
                    assertArrayEquals(alone, fromStack, 0f, "part " + i + ", row " + r + " of " + n);
                }
            }
        }
    }

    private static float[] randoms(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextGaussian();
        return v;
    }
}
