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
            for (int j = blk * block; j < j1; j++) {
                for (int i = 0; i < n; i++) out[i * rows + j] = dotRow(j, x, i * cols) + (bias == null ? 0f : bias[j]);
            }
        });
    }

    /** {@code Σ_c W[j, c] · x[xOff + c]}: 16-bit patterns widened to int, shifted up 16 bits, read as floats. */
    private float dotRow(int j, float[] x, int xOff) {
        int row = j * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector w = ((IntVector) ShortVector.fromArray(H, bits, row + c).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            acc = w.fma(FloatVector.fromArray(F, x, xOff + c), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += widen(bits[row + c]) * x[xOff + c];
        return sum;
    }
}
