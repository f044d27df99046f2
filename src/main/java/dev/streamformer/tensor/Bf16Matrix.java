package dev.streamformer.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix {@code [rows, cols]} kept in bfloat16, as most LLM checkpoints store it: the top 16 bits of each fp32
 * value. Widening is exact, so products equal those of the fp32 copy up to summation order, while each token reads
 * half the bytes.
 *
 * <p>Layout: each int holds two neighbouring weights of a row, {@code w[2i]} in its low half and {@code w[2i+1]} in
 * its high half. Then one int vector widens to two float vectors with one instruction each: {@code v << 16} gives the
 * even-indexed weights, {@code v & 0xFFFF0000} the odd ones (a lane-wise short-to-float conversion costs several).
 * The input row is split the same way, into its even- and odd-indexed values, once per product.
 */
public final class Bf16Matrix {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private final int[] pairs;    // [rows, half] two bf16 weights per int
    private final int rows;
    private final int cols;
    private final int half;       // ints per row: cols / 2 rounded up (an odd last weight pairs with a zero)

    public Bf16Matrix(short[] bits, int rows, int cols) {
        if ((long) rows * cols != bits.length) throw new IllegalArgumentException("weight of " + bits.length + " values is not [" + rows + ", " + cols + "]");
        this.rows = rows;
        this.cols = cols;
        this.half = (cols + 1) / 2;
        this.pairs = new int[rows * half];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < half; i++) {
                int lo = bits[r * cols + 2 * i] & 0xFFFF;
                int hi = 2 * i + 1 < cols ? bits[r * cols + 2 * i + 1] & 0xFFFF : 0;
                pairs[r * half + i] = lo | (hi << 16);
            }
        }
    }

    private Bf16Matrix(int[] pairs, int rows, int cols) {
        this.pairs = pairs;
        this.rows = rows;
        this.cols = cols;
        this.half = (cols + 1) / 2;
    }

    /** The rows of {@code parts} one after the other, {@code [Σ rows, cols]}; every part has {@code cols} columns. */
    public static Bf16Matrix stack(Bf16Matrix... parts) {
        int cols = parts[0].cols, rows = 0;
        for (Bf16Matrix m : parts) {
            if (m.cols != cols) throw new IllegalArgumentException("cannot stack matrices of " + cols + " and " + m.cols + " columns");
            rows += m.rows;
        }
        int[] pairs = new int[rows * ((cols + 1) / 2)];
        int at = 0;
        for (Bf16Matrix m : parts) {
            System.arraycopy(m.pairs, 0, pairs, at, m.pairs.length);
            at += m.pairs.length;
        }
        return new Bf16Matrix(pairs, rows, cols);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** {@code W[r, c]} widened to fp32. */
    public float get(int r, int c) {
        int p = pairs[r * half + c / 2];
        return Float.intBitsToFloat(c % 2 == 0 ? p << 16 : p & 0xFFFF0000);
    }

    /** All values widened to fp32, row-major (for quantizing a bf16 checkpoint). */
    public float[] toFloats() {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[r * cols + c] = get(r, c);
        return out;
    }

    /**
     * {@code out[n, rows] = x[n, cols] · Wᵀ + bias}, output rows spread over the cores in blocks when the product is big
     * enough (see {@link Kernels#parallelFor}).
     *
     * @param bias may be null
     */
    public void multiply(float[] x, int n, float[] bias, float[] out) {
        if (x.length < n * cols || out.length < n * rows) {
            throw new IllegalArgumentException("x or out too small for " + n + " rows of [" + rows + ", " + cols + "]");
        }
        if (n >= WIDEN_FROM_ROWS) {
            Kernels.widenedProduct(x, n, cols, rows, (row, into, offset, stride) -> {
                for (int c = 0; c < cols; c++) into[offset + c * stride] = get(row, c);
            }, bias, out);
            return;
        }
        // x split into even- and odd-indexed values, row by row: [n, half] each
        float[] even = new float[n * half], odd = new float[n * half];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) (c % 2 == 0 ? even : odd)[i * half + c / 2] = x[i * cols + c];
        }
        final int block = 16;
        Kernels.parallelFor((rows + block - 1) / block, (long) n * rows * cols, blk -> {
            int j1 = Math.min(rows, (blk + 1) * block);
            for (int i = 0; i < n; i++) {
                int j = blk * block;
                for (; j + 2 <= j1; j += 2) dotTwoRows(j, even, odd, i * half, bias, out, i * rows + j);
                for (; j < j1; j++) out[i * rows + j] = dotRow(j, even, odd, i * half) + (bias == null ? 0f : bias[j]);
            }
        });
    }

    /**
     * From this many rows of x on (a prompt), a panel of weight rows is widened to fp32 once and reused for every row.
     * Widening is a transpose into the panel layout, as costly as about 16 rows of the direct kernel (measured).
     */
    private static final int WIDEN_FROM_ROWS = 16;

    /** Rows {@code j, j+1} against one x row: each x vector is loaded once for both. */
    private void dotTwoRows(int j, float[] even, float[] odd, int xOff, float[] bias, float[] out, int o) {
        int r0 = j * half, r1 = r0 + half;
        FloatVector a0 = FloatVector.zero(F), b0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b1 = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= half; i += L) {
            FloatVector xe = FloatVector.fromArray(F, even, xOff + i), xo = FloatVector.fromArray(F, odd, xOff + i);
            IntVector w0 = IntVector.fromArray(I, pairs, r0 + i), w1 = IntVector.fromArray(I, pairs, r1 + i);
            a0 = lowHalves(w0).fma(xe, a0);
            b0 = highHalves(w0).fma(xo, b0);
            a1 = lowHalves(w1).fma(xe, a1);
            b1 = highHalves(w1).fma(xo, b1);
        }
        float s0 = a0.add(b0).reduceLanes(VectorOperators.ADD), s1 = a1.add(b1).reduceLanes(VectorOperators.ADD);
        for (; i < half; i++) {
            s0 += pairDot(pairs[r0 + i], even[xOff + i], odd[xOff + i]);
            s1 += pairDot(pairs[r1 + i], even[xOff + i], odd[xOff + i]);
        }
        out[o] = s0 + (bias == null ? 0f : bias[j]);
        out[o + 1] = s1 + (bias == null ? 0f : bias[j + 1]);
    }

    private float dotRow(int j, float[] even, float[] odd, int xOff) {
        int r = j * half;
        FloatVector a = FloatVector.zero(F), b = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= half; i += L) {
            IntVector w = IntVector.fromArray(I, pairs, r + i);
            a = lowHalves(w).fma(FloatVector.fromArray(F, even, xOff + i), a);
            b = highHalves(w).fma(FloatVector.fromArray(F, odd, xOff + i), b);
        }
        float s = a.add(b).reduceLanes(VectorOperators.ADD);
        for (; i < half; i++) s += pairDot(pairs[r + i], even[xOff + i], odd[xOff + i]);
        return s;
    }

    /** The even-indexed weights of a vector of pairs: the low 16 bits moved up into place. */
    private static FloatVector lowHalves(IntVector w) {
        return w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The odd-indexed weights: the high 16 bits are already in place, the low ones cleared. */
    private static FloatVector highHalves(IntVector w) {
        return w.and(0xFFFF0000).reinterpretAsFloats();
    }

    private static float pairDot(int pair, float xEven, float xOdd) {
        return Float.intBitsToFloat(pair << 16) * xEven + Float.intBitsToFloat(pair & 0xFFFF0000) * xOdd;
    }
}
