package dev.streamformer.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix {@code [rows, cols]} kept in bfloat16, as most LLM checkpoints store it: the top 16 bits of each fp32
 * value. Widening is exact (shift the bits back into place), so products equal those of the fp32 copy up to summation
 * order, while each token reads half the bytes.
 */
public final class Bf16Matrix {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Shorts that widen to one float vector (16 → 16 on AVX-512, 8 → 8 on AVX2). */
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private final short[] bits;   // [rows, cols]
    private final int rows;
    private final int cols;

    public Bf16Matrix(short[] bits, int rows, int cols) {
        if ((long) rows * cols != bits.length) throw new IllegalArgumentException("weight of " + bits.length + " values is not [" + rows + ", " + cols + "]");
        this.bits = bits;
        this.rows = rows;
        this.cols = cols;
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    public long bytes() { return 2L * bits.length; }

    /** {@code W[r, c]} widened to fp32. */
    public float get(int r, int c) {
        return widen(bits[r * cols + c]);
    }

    /** All values widened to fp32, row-major (for quantizing a bf16 checkpoint). */
    public float[] toFloats() {
        float[] out = new float[bits.length];
        for (int i = 0; i < out.length; i++) out[i] = widen(bits[i]);
        return out;
    }

    private static float widen(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /**
     * {@code out[n, rows] = x[n, cols] · Wᵀ + bias}, output rows spread over the cores in blocks when the product is big
     * enough (see {@link Kernels#range}).
     *
     * @param bias may be null
     */
    public void multiply(float[] x, int n, float[] bias, float[] out) {
        if (x.length < n * cols || out.length < n * rows) {
            throw new IllegalArgumentException("x or out too small for " + n + " rows of [" + rows + ", " + cols + "]");
        }
        final int block = 16;
        Kernels.range((rows + block - 1) / block, (long) n * rows * cols).forEach(blk -> {
            int j1 = Math.min(rows, (blk + 1) * block);
            for (int i = 0; i < n; i++) {
                int j = blk * block;
                for (; j + 4 <= j1; j += 4) dotFourRows(j, x, i * cols, bias, out, i * rows + j);
                for (; j < j1; j++) out[i * rows + j] = dotRow(j, x, i * cols) + (bias == null ? 0f : bias[j]);
            }
        });
    }

    /** Rows {@code j..j+3} against one x row: each x vector is loaded once for four weight rows. */
    private void dotFourRows(int j, float[] x, int xOff, float[] bias, float[] out, int o) {
        int r0 = j * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + c);
            a0 = widen(r0 + c).fma(xv, a0);
            a1 = widen(r1 + c).fma(xv, a1);
            a2 = widen(r2 + c).fma(xv, a2);
            a3 = widen(r3 + c).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) {
            float xc = x[xOff + c];
            s0 += widen(bits[r0 + c]) * xc;
            s1 += widen(bits[r1 + c]) * xc;
            s2 += widen(bits[r2 + c]) * xc;
            s3 += widen(bits[r3 + c]) * xc;
        }
        out[o] = s0 + (bias == null ? 0f : bias[j]);
        out[o + 1] = s1 + (bias == null ? 0f : bias[j + 1]);
        out[o + 2] = s2 + (bias == null ? 0f : bias[j + 2]);
        out[o + 3] = s3 + (bias == null ? 0f : bias[j + 3]);
    }

    /** {@code L} weights from {@code bits[at]} widened to floats: 16-bit patterns to int, shifted up 16 bits. */
    private FloatVector widen(int at) {
        return ((IntVector) ShortVector.fromArray(H, bits, at).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** {@code Σ_c W[j, c] · x[xOff + c]}: 16-bit patterns widened to int, shifted up 16 bits, read as floats. */
    private float dotRow(int j, float[] x, int xOff) {
        int row = j * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) acc = widen(row + c).fma(FloatVector.fromArray(F, x, xOff + c), acc);
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += widen(bits[row + c]) * x[xOff + c];
        return sum;
    }
}
