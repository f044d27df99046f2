package dev.streamformer.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix {@code [rows, cols]} quantized to 8 bits in llama.cpp's Q8_0 layout: each row is cut into blocks of
 * 32 values, and each block keeps 32 signed bytes {@code q} and one scale {@code d = max|w| / 127} (rounded to fp16,
 * as llama.cpp stores it), so {@code w ≈ d · q}. A row's last block may be shorter when {@code cols} is not a multiple
 * of 32.
 *
 * <p>Why: generating one token reads every weight once, so at batch 1 speed is bytes read per token. Q8_0 reads
 * 34 bytes per 32 weights instead of 128 (fp32) or 64 (bf16).
 *
 * <p>Layout: a block's 32 bytes are kept as 8 ints so that widening them is cheap. Int {@code j} of a block holds
 * {@code q[j]}, {@code q[8+j]}, {@code q[16+j]} and {@code q[24+j]} in its bytes 0 to 3. One 8-lane int vector is then
 * the whole block, and two shifts per byte ({@code v << (24 - 8k) >> 24}, arithmetic) give the signed values
 * {@code q[8k .. 8k+8)} in order, ready for an int-to-float conversion: cheaper than widening bytes lane by lane
 * (measured: 10–20 % faster per token, same sums). A short last block is padded with zeros.
 */
public final class Q8Matrix {

    /** Values per block. */
    public static final int BLOCK = 32;

    /** The kernel works on 8 lanes of 32 bits (AVX2; on wider CPUs too). Narrower CPUs take the plain loop. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final boolean VECTORS = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    private static final int INTS_PER_BLOCK = BLOCK / 4;

    private final int[] lanes;     // [rows, blocksPerRow, 8]  the quants q, four to an int (see the class comment)
    private final float[] scales;  // [rows, blocksPerRow]     d of each block
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private Q8Matrix(int[] lanes, float[] scales, int rows, int cols) {
        this.lanes = lanes;
        this.scales = scales;
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = (cols + BLOCK - 1) / BLOCK;
    }

    /** Quantizes {@code w[rows, cols]} block by block (llama.cpp's {@code quantize_row_q8_0_ref}). */
    public static Q8Matrix quantize(float[] w, int rows, int cols) {
        if ((long) rows * cols != w.length) throw new IllegalArgumentException("weight of " + w.length + " values is not [" + rows + ", " + cols + "]");
        int blocks = (cols + BLOCK - 1) / BLOCK;
        byte[] q = new byte[w.length];
        float[] d = new float[rows * blocks];
        for (int r = 0; r < rows; r++) {
            for (int b = 0; b < blocks; b++) {
                int from = r * cols + b * BLOCK;
                int to = r * cols + Math.min(cols, (b + 1) * BLOCK);
                float amax = 0;
                for (int i = from; i < to; i++) amax = Math.max(amax, Math.abs(w[i]));
                float scale = amax / 127f;
                float inverse = scale == 0 ? 0 : 1f / scale;
                for (int i = from; i < to; i++) q[i] = (byte) roundHalfAwayFromZero(w[i] * inverse);
                d[r * blocks + b] = Float.float16ToFloat(Float.floatToFloat16(scale));
            }
        }
        return new Q8Matrix(interleave(q, rows, cols), d, rows, cols);
    }

    /** The row-major quants {@code q[rows, cols]} in the kernel's layout: per block, int j = q[j], q[8+j], q[16+j], q[24+j]. */
    private static int[] interleave(byte[] q, int rows, int cols) {
        int blocks = (cols + BLOCK - 1) / BLOCK;
        int[] lanes = new int[rows * blocks * INTS_PER_BLOCK];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int b = c / BLOCK, i = c % BLOCK;
                lanes[(r * blocks + b) * INTS_PER_BLOCK + i % 8] |= (q[r * cols + c] & 0xFF) << (8 * (i / 8));
            }
        }
        return lanes;
    }

    /** The rows of {@code parts} one after the other, {@code [Σ rows, cols]}; every part has {@code cols} columns. */
    public static Q8Matrix stack(Q8Matrix... parts) {
        int cols = parts[0].cols, rows = 0;
        for (Q8Matrix m : parts) {
            if (m.cols != cols) throw new IllegalArgumentException("cannot stack matrices of " + cols + " and " + m.cols + " columns");
            rows += m.rows;
        }
        int[] lanes = new int[rows * parts[0].blocksPerRow * INTS_PER_BLOCK];
        float[] d = new float[rows * parts[0].blocksPerRow];
        int lanesAt = 0, dAt = 0;
        for (Q8Matrix m : parts) {
            System.arraycopy(m.lanes, 0, lanes, lanesAt, m.lanes.length);
            System.arraycopy(m.scales, 0, d, dAt, m.scales.length);
            lanesAt += m.lanes.length;
            dAt += m.scales.length;
        }
        return new Q8Matrix(lanes, d, rows, cols);
    }

    /**
     * A matrix from blocks quantized elsewhere (a GGUF file's Q8_0 tensor): {@code quants [rows, cols]} row-major,
     * {@code scales [rows, cols / 32]} (the fp16 scales, widened exactly). {@code cols} must be a multiple of 32.
     */
    public static Q8Matrix ofBlocks(byte[] quants, float[] scales, int rows, int cols) {
        if (cols % BLOCK != 0 || (long) rows * cols != quants.length || (long) rows * (cols / BLOCK) != scales.length) {
            throw new IllegalArgumentException(quants.length + " values and " + scales.length + " scales are not Q8_0 blocks of ["
                    + rows + ", " + cols + "]");
        }
        return new Q8Matrix(interleave(quants, rows, cols), scales, rows, cols);
    }

    /** C's {@code roundf}, which llama.cpp uses ({@link Math#round} rounds -2.5 to -2, roundf to -3). */
    private static int roundHalfAwayFromZero(float v) {
        return v >= 0 ? Math.round(v) : -Math.round(-v);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Bytes this matrix takes as llama.cpp stores it (one byte per quant, one fp16 scale per block). */
    public long bytes() { return (long) rows * cols + 2L * scales.length; }

    /** The quant {@code q} of {@code w[r, c]}. */
    private int quant(int r, int c) {
        int i = c % BLOCK;
        return (byte) (lanes[(r * blocksPerRow + c / BLOCK) * INTS_PER_BLOCK + i % 8] >> (8 * (i / 8)));
    }

    /** The value stored for {@code w[r, c]}: {@code d · q}. */
    public float get(int r, int c) {
        return scales[r * blocksPerRow + c / BLOCK] * quant(r, c);
    }

    /**
     * {@code out[n, rows] = x[n, cols] · Wᵀ + bias}. Output rows are spread over the cores in blocks when the product is
     * big enough (see {@link Kernels#parallelFor}); within a block each weight row is read once for all {@code n} rows of x.
     *
     * @param bias may be null
     */
    public void multiply(float[] x, int n, float[] bias, float[] out) {
        if (x.length < n * cols || out.length < n * rows) {
            throw new IllegalArgumentException("x or out too small for " + n + " rows of [" + rows + ", " + cols + "]");
        }
        if (n >= DEQUANTIZE_FROM_ROWS) {
            Kernels.widenedProduct(x, n, cols, rows, this::widenRow, bias, out);
            return;
        }
        final int block = 16;
        Kernels.parallelFor((rows + block - 1) / block, (long) n * rows * cols, blk -> {
            int j0 = blk * block, j1 = Math.min(rows, j0 + block);
            for (int j = j0; j < j1; j++) {
                for (int i = 0; i < n; i++) out[i * rows + j] = dotRow(j, x, i * cols) + (bias == null ? 0f : bias[j]);
            }
        });
    }

    /**
     * From this many rows of x on (a prompt), a panel of weight rows is widened to fp32 once and reused for every row.
     * Widening is a transpose into the panel layout, as costly as about 16 rows of the direct kernel (measured).
     */
    private static final int DEQUANTIZE_FROM_ROWS = 16;

    /** {@code Σ_c W[j, c] · x[xOff + c]}: per block, the quants widen to floats in four slices of 8 and the block sum is scaled once. */
    private float dotRow(int j, float[] x, int xOff) {
        int full = VECTORS ? cols / BLOCK : 0;
        float sum = 0;
        if (full > 0) {
            int base = j * blocksPerRow * INTS_PER_BLOCK, sRow = j * blocksPerRow;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < full; b++) {
                int c = xOff + b * BLOCK;
                IntVector v = IntVector.fromArray(I, lanes, base + b * INTS_PER_BLOCK);
                FloatVector blockSum = slice(v, 0).mul(FloatVector.fromArray(F, x, c));
                blockSum = slice(v, 1).fma(FloatVector.fromArray(F, x, c + 8), blockSum);
                blockSum = slice(v, 2).fma(FloatVector.fromArray(F, x, c + 16), blockSum);
                blockSum = slice(v, 3).fma(FloatVector.fromArray(F, x, c + 24), blockSum);
                acc = blockSum.fma(FloatVector.broadcast(F, scales[sRow + b]), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (int b = full; b < blocksPerRow; b++) {   // the short last block, or every block without 256-bit vectors
            float blockSum = 0;
            for (int c = b * BLOCK; c < Math.min(cols, (b + 1) * BLOCK); c++) blockSum += quant(j, c) * x[xOff + c];
            sum += blockSum * scales[j * blocksPerRow + b];
        }
        return sum;
    }

    /**
     * Row {@code r} of W as fp32 into {@code into[offset + c · stride]} (a column of a packed panel): each block's quants
     * widen eight at a time and are scaled once, as in {@link #dotRow}, rather than one {@link #get} (a division and a
     * shift) per value.
     */
    private void widenRow(int r, float[] into, int offset, int stride) {
        int full = VECTORS ? cols / BLOCK : 0;
        float[] block = new float[BLOCK];
        for (int b = 0; b < full; b++) {
            IntVector v = IntVector.fromArray(I, lanes, (r * blocksPerRow + b) * INTS_PER_BLOCK);
            float d = scales[r * blocksPerRow + b];
            for (int k = 0; k < 4; k++) slice(v, k).mul(d).intoArray(block, 8 * k);
            for (int i = 0, at = offset + b * BLOCK * stride; i < BLOCK; i++, at += stride) into[at] = block[i];
        }
        for (int c = full * BLOCK; c < cols; c++) into[offset + c * stride] = get(r, c);
    }

    /** Quants {@code 8k .. 8k+8} of a block as floats: byte {@code k} of each int, sign-extended by a shift up and back. */
    private static FloatVector slice(IntVector block, int k) {
        IntVector top = k == 3 ? block : block.lanewise(VectorOperators.LSHL, 24 - 8 * k);
        return (FloatVector) top.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0);
    }
}
