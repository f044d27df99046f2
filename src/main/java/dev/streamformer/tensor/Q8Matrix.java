package dev.streamformer.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix {@code [rows, cols]} quantized to 8 bits in llama.cpp's Q8_0 layout: each row is cut into blocks of
 * 32 values, and each block keeps 32 signed bytes {@code q} and one scale {@code d = max|w| / 127} (rounded to fp16,
 * as llama.cpp stores it), so {@code w ≈ d · q}. A row's last block may be shorter when {@code cols} is not a multiple
 * of 32.
 *
 * <p>Why: generating one token reads every weight once, so at batch 1 speed is bytes read per token. Q8_0 reads
 * 34 bytes per 32 weights instead of 128 (fp32) or 64 (bf16).
 */
public final class Q8Matrix {

    /** Values per block. */
    public static final int BLOCK = 32;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Bytes that widen to one float vector: 16 bytes → 16 floats on AVX-512, 8 → 8 on AVX2. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private final byte[] quants;   // [rows, cols]        q, row-major like the fp32 weight
    private final float[] scales;  // [rows, blocksPerRow] d of each block
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private Q8Matrix(byte[] quants, float[] scales, int rows, int cols) {
        this.quants = quants;
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
        return new Q8Matrix(q, d, rows, cols);
    }

    /** The rows of {@code parts} one after the other, {@code [Σ rows, cols]}; every part has {@code cols} columns. */
    public static Q8Matrix stack(Q8Matrix... parts) {
        int cols = parts[0].cols, rows = 0;
        for (Q8Matrix m : parts) {
            if (m.cols != cols) throw new IllegalArgumentException("cannot stack matrices of " + cols + " and " + m.cols + " columns");
            rows += m.rows;
        }
        byte[] q = new byte[rows * cols];
        float[] d = new float[rows * parts[0].blocksPerRow];
        int qAt = 0, dAt = 0;
        for (Q8Matrix m : parts) {
            System.arraycopy(m.quants, 0, q, qAt, m.quants.length);
            System.arraycopy(m.scales, 0, d, dAt, m.scales.length);
            qAt += m.quants.length;
            dAt += m.scales.length;
        }
        return new Q8Matrix(q, d, rows, cols);
    }

    /** C's {@code roundf}, which llama.cpp uses ({@link Math#round} rounds -2.5 to -2, roundf to -3). */
    private static int roundHalfAwayFromZero(float v) {
        return v >= 0 ? Math.round(v) : -Math.round(-v);
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Bytes this matrix takes (quants and one fp16 scale per block, as stored by llama.cpp). */
    public long bytes() { return quants.length + 2L * scales.length; }

    /** The value stored for {@code w[r, c]}: {@code d · q}. */
    public float get(int r, int c) {
        return scales[r * blocksPerRow + c / BLOCK] * quants[r * cols + c];
    }

    /**
     * {@code out[n, rows] = x[n, cols] · Wᵀ + bias}. Output rows are spread over the cores in blocks when the product is
     * big enough (see {@link Kernels#range}); within a block each weight row is read once for all {@code n} rows of x.
     *
     * @param bias may be null
     */
    public void multiply(float[] x, int n, float[] bias, float[] out) {
        if (x.length < n * cols || out.length < n * rows) {
            throw new IllegalArgumentException("x or out too small for " + n + " rows of [" + rows + ", " + cols + "]");
        }
        if (n >= DEQUANTIZE_FROM_ROWS) {
            Kernels.widenedProduct(x, n, cols, rows, (row, into, offset, stride) -> {
                int qRow = row * cols, sRow = row * blocksPerRow;
                for (int c = 0; c < cols; c++) into[offset + c * stride] = scales[sRow + c / BLOCK] * quants[qRow + c];
            }, bias, out);
            return;
        }
        final int block = 16;
        Kernels.range((rows + block - 1) / block, (long) n * rows * cols).forEach(blk -> {
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

    /** {@code Σ_c W[j, c] · x[xOff + c]}: per block, the byte vectors widen to floats and the block sum is scaled once. */
    private float dotRow(int j, float[] x, int xOff) {
        int qRow = j * cols;
        int sRow = j * blocksPerRow;
        FloatVector acc = FloatVector.zero(F);
        int full = cols / BLOCK;
        for (int b = 0; b < full; b++) {
            int c = b * BLOCK;
            FloatVector blockSum = FloatVector.zero(F);
            for (int v = 0; v < BLOCK; v += L) {
                FloatVector q = (FloatVector) ByteVector.fromArray(B, quants, qRow + c + v).convertShape(VectorOperators.B2F, F, 0);
                blockSum = q.fma(FloatVector.fromArray(F, x, xOff + c + v), blockSum);
            }
            acc = blockSum.fma(FloatVector.broadcast(F, scales[sRow + b]), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        if (full * BLOCK < cols) {   // the short last block
            float tail = 0;
            for (int c = full * BLOCK; c < cols; c++) tail += quants[qRow + c] * x[xOff + c];
            sum += tail * scales[sRow + full];
        }
        return sum;
    }
}
