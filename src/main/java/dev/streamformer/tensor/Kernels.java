package dev.streamformer.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.function.IntConsumer;

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
 * by {@link KernelThreads}: one thread per core for the whole JVM, so several stream threads calling at once share
 * the cores instead of each starting its own threads. See {@link #parallelFor} for when a kernel is split.
 */
public final class Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static {
        LoopSafepoints.warnIfOff();   // a JVM setting that halves the micro-kernel's speed: say so once, with the fix
    }

    private Kernels() {}

    // ---------------------------------------------------------------------------------------------
    // Matrix products

    /**
     * A linear layer on {@code n} rows: {@code out[n, m] = x[n, k] · wᵀ + bias}, with {@code w} of shape {@code [m, k]}.
     * Dot products on the unpacked weight: the right shape for a few rows (a decoding step reads each weight once);
     * {@link #matmulPacked} is faster for many rows. Blocks of output features are spread over the cores when the
     * product is big enough.
     *
     * @param bias may be null
     */
    public static void linear(float[] x, int n, int k, float[] w, float[] bias, int m, float[] out) {
        if (x.length < n * k || w.length < m * k || out.length < n * m) {
            throw new IllegalArgumentException("linear: arrays too small for [" + n + ", " + k + "] x [" + m + ", " + k + "]ᵀ");
        }
        final int block = 32;  // output features per task: 32 weight rows stay in L1/L2 while every x row passes them
        parallelFor((m + block - 1) / block, (long) n * m * k, blk -> {
            int j0 = blk * block;
            int j1 = Math.min(m, j0 + block);
            for (int i = 0; i < n; i++) {
                int j = j0;
                for (; j + 4 <= j1; j += 4) dot4(x, i * k, w, j * k, k, bias, j, out, i * m + j);
                for (; j < j1; j++) out[i * m + j] = dot(x, i * k, w, j * k, k) + (bias == null ? 0f : bias[j]);
            }
        });
    }

    /** Four dot products of one x row with four consecutive weight rows: each x vector is loaded once for all four. */
    private static void dot4(float[] x, int xOff, float[] w, int wOff, int k, float[] bias, int j, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        int w1 = wOff + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + L <= k; p += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
            a0 = xv.fma(FloatVector.fromArray(S, w, wOff + p), a0);
            a1 = xv.fma(FloatVector.fromArray(S, w, w1 + p), a1);
            a2 = xv.fma(FloatVector.fromArray(S, w, w2 + p), a2);
            a3 = xv.fma(FloatVector.fromArray(S, w, w3 + p), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            float xv = x[xOff + p];
            s0 += xv * w[wOff + p];
            s1 += xv * w[w1 + p];
            s2 += xv * w[w2 + p];
            s3 += xv * w[w3 + p];
        }
        if (bias != null) {
            s0 += bias[j];
            s1 += bias[j + 1];
            s2 += bias[j + 2];
            s3 += bias[j + 3];
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    /**
     * Vectors per column panel of a packed weight: 4 where the CPU has 32 vector registers (AVX-512: 6 rows × 4 = 24
     * accumulators), 2 where it has 16 (AVX2: 6 × 2 = 12), so the accumulators never spill.
     *
     * <p>Tried and measured slower on AVX2 (2026-12-01, one core, C2 of JDK 25, its machine code read with
     * {@code -XX:CompileCommand=print}): x packed six rows interleaved, the k loop unrolled by two (by hand or with a
     * higher {@code -XX:LoopUnrollLimit}), a five-row kernel, k-blocking by 128–384, weights in a MemorySegment: each
     * ran about half as fast (26–51 against 60–85 GFLOP per CPU-second). In the code read (packed x, five rows) C2
     * loads every broadcast of an iteration up front, which needs a 17th register: one accumulator then lives on the
     * stack, stored and reloaded each iteration. The kernels below keep one input feature per iteration and the rows
     * unpacked: computing six row addresses keeps C2 from hoisting more than two broadcasts. A k loop that starts at a
     * variable index ran at the slow speed too, so every k loop here starts at 0. Also tried: each x value stored as a
     * whole vector, so that C2 folds the x load into the multiply-add (12 rows × one vector, 25 instructions per 12
     * multiply-adds, in blocks of 64 features): no faster on one core with the launcher's loop flags, and 0.5–0.7× in
     * {@code bench engines} (likely because each block of 12 rows re-reads the whole weight from L3; not profiled).
     */
    private static final int NV = L >= 16 ? 4 : 2;
    /** Width of one column panel of a packed weight matrix (64 floats on AVX-512, 16 on AVX2). */
    public static final int PANEL = NV * L;
    /** Rows of x the micro-kernel keeps in flight. */
    private static final int MR = 6;
    /**
     * Runs {@code task} for each of the tasks {@code [0, tasks)} of one kernel, spread over the cores
     * ({@link KernelThreads}) when the kernel is worth it: at least {@link #PARALLEL_THRESHOLD} multiply-adds
     * ({@code work}); otherwise in order on the calling thread.
     */
    public static void parallelFor(int tasks, long work, IntConsumer task) {
        KernelThreads.forEach(tasks, work >= PARALLEL_THRESHOLD, task);
    }

    /** Rows per parallel tile: a tile of x stays in L2 while the kernel sweeps one weight panel over it. */
    private static final int ROW_TILE = 8 * MR;
    /** Below this many multiply-adds a product runs on the calling thread: forking would cost more than it saves. */
    private static final long PARALLEL_THRESHOLD = 1L << 19;

    /**
     * Repacks a linear weight {@code w[m, k]} into column panels for {@link #matmulPacked}: panel {@code p} holds
     * columns {@code [p·PANEL, (p+1)·PANEL)} of {@code wᵀ}, one row of PANEL floats per input feature, so the
     * micro-kernel reads weights front to back. Columns past {@code m} are zero. The layout depends on the CPU's
     * vector width: pack on the machine that multiplies.
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

    /** Per-thread room for one packed panel ({@link #widenedProduct}). */
    private static final ThreadLocal<float[]> PANEL_SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** Writes weight row {@code row}'s {@code k} values, as fp32, to {@code into[i · stride]} for {@code i < k}. */
    @FunctionalInterface
    public interface RowWidener {
        void widen(int row, float[] into, int offset, int stride);
    }

    /**
     * {@code out[n, m] = x[n, k] · wᵀ + bias} for a weight kept in another form (bf16, Q8_0): {@code PANEL} weight rows
     * at a time are widened into a packed panel (this thread's scratch), then every row of x runs on the fp32
     * micro-kernel. Worth it for many rows of x (a prompt): widening costs about as much as 16 rows of a direct kernel.
     *
     * @param bias may be null
     */
    public static void widenedProduct(float[] x, int n, int k, int m, RowWidener weight, float[] bias, float[] out) {
        int panels = (m + PANEL - 1) / PANEL;
        parallelFor(panels, (long) n * m * k, p -> {
            float[] panel = PANEL_SCRATCH.get();
            if (panel.length < k * PANEL) PANEL_SCRATCH.set(panel = new float[k * PANEL]);
            for (int c = 0; c < PANEL; c++) {
                int row = p * PANEL + c;
                if (row < m) {
                    weight.widen(row, panel, c, PANEL);
                } else {
                    for (int kk = 0; kk < k; kk++) panel[kk * PANEL + c] = 0f;
                }
            }
            panelProduct(x, n, k, panel, bias, p * PANEL, m, out);
        });
    }

    /** A function applied to a matrix product's output while it is still in cache. */
    public enum Activation { NONE, GELU_ERF, GELU_TANH }

    /**
     * {@code out[n, m] = x[n, k] · wᵀ + bias} with {@code w} {@link #pack packed}.
     *
     * @param bias may be null
     */
    public static void matmulPacked(float[] x, int n, int k, float[] packed, float[] bias, int m, float[] out) {
        matmulPacked(x, n, k, packed, bias, m, out, Activation.NONE);
    }

    /**
     * {@code out[n, m] = act(x[n, k] · wᵀ + bias)} with {@code w} {@link #pack packed}. Work is cut into tiles of
     * (up to 48 rows) × (one panel) and the tiles spread over the cores; each tile gets its activation right after
     * it is computed.
     *
     * @param bias may be null
     */
    public static void matmulPacked(float[] x, int n, int k, float[] packed, float[] bias, int m, float[] out, Activation act) {
        int panels = (m + PANEL - 1) / PANEL;
        if (packed.length != panels * k * PANEL) throw new IllegalArgumentException("packed weight does not match [" + m + ", " + k + "]");
        if (x.length < n * k || out.length < n * m) throw new IllegalArgumentException("x or out is too small for " + n + " rows");
        int rowTiles = (n + ROW_TILE - 1) / ROW_TILE;
        parallelFor(rowTiles * panels, (long) n * m * k, t -> {
            int p = t % panels;
            int r0 = (t / panels) * ROW_TILE;
            int r1 = Math.min(n, r0 + ROW_TILE);
            int j = p * PANEL;
            if (j + PANEL <= m) {
                fullPanelRows(x, r0, r1, k, packed, p * k * PANEL, bias, j, out, m);
            } else {
                edgeBlock(x, r0, r1, k, packed, p, bias, m, out);
            }
            if (act != Activation.NONE) {
                int width = Math.min(PANEL, m - j);
                for (int row = r0; row < r1; row++) activate(act, out, row * m + j, width);
            }
        });
    }

    /** Applies {@code act} to {@code x[off, off + len)} in place. */
    public static void activate(Activation act, float[] x, int off, int len) {
        switch (act) {
            case GELU_ERF -> geluErf(x, off, len);
            case GELU_TANH -> geluTanh(x, off, len);
            case NONE -> { }
        }
    }

    /**
     * Output columns {@code [j, j + PANEL)} (fewer at the right edge) of {@code out[n, m] = x[n, k] · wᵀ + bias} from one
     * packed panel ({@code k × PANEL} floats at {@code panel[0]}).
     *
     * @param bias may be null
     */
    private static void panelProduct(float[] x, int n, int k, float[] panel, float[] bias, int j, int m, float[] out) {
        if (panel.length < k * PANEL) throw new IllegalArgumentException("a panel holds " + k + " × " + PANEL + " floats");
        if (j + PANEL <= m) {
            fullPanelRows(x, 0, n, k, panel, 0, bias, j, out, m);
        } else {
            edgeBlock(x, 0, n, k, panel, 0, j, bias, m, out);
        }
    }

    /**
     * Rows {@code [r0, r1)} of x times one full panel (at {@code packed[wOff]}), plus bias, into output columns
     * {@code [j, j + PANEL)}. The rows go in blocks of 6, then of 4, then one at a time, so that no row count leaves
     * many rows to the slow one-row loop: 16 rows (a short text) run as 6 + 6 + 4, 8 as 4 + 4, 9 as 4 + 4 + 1.
     * Every row gets bit-identical results whichever block it lands in (same multiply-adds in the same order).
     */
    private static void fullPanelRows(float[] x, int r0, int r1, int k, float[] packed, int wOff, float[] bias, int j,
                                      float[] out, int m) {
        int sixes = (r1 - r0) / MR, rest = (r1 - r0) % MR;
        if ((rest == 2 || rest == 3) && sixes > 0) {   // 8 or 9 rows as 4 + 4 (+ 1) beat 6 + 1 + 1 (+ 1)
            sixes--;
            rest += MR;
        }
        int r = r0;
        for (int b = 0; b < sixes; b++, r += MR) kernel(x, r * k, k, packed, wOff, bias, j, out, r * m + j, m);
        for (; rest >= 4; rest -= 4, r += 4) kernel4(x, r * k, k, packed, wOff, bias, j, out, r * m + j, m);
        // the last row or rows (every row when decoding one token at a time): one row at a time
        for (; r < r1; r++) panelRow(x, r * k, k, packed, wOff, bias, j, out, r * m + j);
    }

    /**
     * One row of x times one full panel, plus bias: per input feature, the panel's PANEL weights are read front to back
     * into {@code NV} accumulators. A matrix-vector product on the packed layout, as fast as the weights stream in.
     */
    private static void panelRow(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                 float[] out, int oOff) {
        // accumulators start at the bias, as in the micro-kernel, so a row gets bit-identical results either way
        FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff);
        FloatVector a1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + L);
        FloatVector a2 = bias == null || NV < 4 ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 2 * L);
        FloatVector a3 = bias == null || NV < 4 ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 3 * L);
        int w = wOff;
        if (NV == 4) {
            for (int kk = 0; kk < k; kk++, w += PANEL) {
                FloatVector v = FloatVector.broadcast(S, x[xOff + kk]);
                a0 = v.fma(FloatVector.fromArray(S, packed, w), a0);
                a1 = v.fma(FloatVector.fromArray(S, packed, w + L), a1);
                a2 = v.fma(FloatVector.fromArray(S, packed, w + 2 * L), a2);
                a3 = v.fma(FloatVector.fromArray(S, packed, w + 3 * L), a3);
            }
        } else {
            for (int kk = 0; kk < k; kk++, w += PANEL) {
                FloatVector v = FloatVector.broadcast(S, x[xOff + kk]);
                a0 = v.fma(FloatVector.fromArray(S, packed, w), a0);
                a1 = v.fma(FloatVector.fromArray(S, packed, w + L), a1);
            }
        }
        a0.intoArray(out, oOff);
        a1.intoArray(out, oOff + L);
        if (NV == 4) {
            a2.intoArray(out, oOff + 2 * L);
            a3.intoArray(out, oOff + 3 * L);
        }
    }

    /**
     * Rows {@code [r, r1)} of one panel when they do not fill the micro-kernel (fewer than 6 rows, or a last panel
     * narrower than PANEL, e.g. a 2-label classifier): copy them into a zero-padded 6 × PANEL block, run the same
     * micro-kernel, copy the valid part back. Keeping a single hot kernel keeps the JIT's work in one place.
     */
    private static void edgeBlock(float[] x, int r, int r1, int k, float[] packed, int p, float[] bias, int m, float[] out) {
        edgeBlock(x, r, r1, k, packed, p * k * PANEL, p * PANEL, bias, m, out);
    }

    /** As above for the panel at {@code packed[wOff]}, writing output columns from {@code j}. */
    private static void edgeBlock(float[] x, int r, int r1, int k, float[] packed, int wOff, int j, float[] bias, int m, float[] out) {
        int width = Math.min(PANEL, m - j);
        float[] xs = new float[MR * k];
        float[] os = new float[MR * PANEL];
        float[] bs = new float[PANEL];
        if (bias != null) System.arraycopy(bias, j, bs, 0, width);
        for (; r < r1; r += MR) {
            int rows = Math.min(MR, r1 - r);
            System.arraycopy(x, r * k, xs, 0, rows * k);
            java.util.Arrays.fill(xs, rows * k, MR * k, 0f);
            kernel(xs, 0, k, packed, wOff, bs, 0, os, 0, PANEL);
            for (int i = 0; i < rows; i++) System.arraycopy(os, i * PANEL, out, (r + i) * m + j, width);
        }
    }

    /**
     * The micro-kernel: six rows of x (from {@code xOff}, stride k) times one full panel (from {@code wOff}), plus
     * bias, into six rows of {@code out} (from {@code oOff}, stride {@code oStride}).
     */
    private static void kernel(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                               float[] out, int oOff, int oStride) {
        if (NV == 4) kernel6x4(x, xOff, k, packed, wOff, bias, bOff, out, oOff, oStride);
        else kernel6x2(x, xOff, k, packed, wOff, bias, bOff, out, oOff, oStride);
    }

    /**
     * Per input feature: load 4 weight vectors, broadcast 6 inputs, issue 24 fused multiply-adds into accumulators
     * that stay in registers for the whole k loop.
     */
    private static void kernel6x4(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                  float[] out, int oOff, int oStride) {
        FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff);
        FloatVector b1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + L);
        FloatVector b2 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 2 * L);
        FloatVector b3 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        FloatVector a40 = b0, a41 = b1, a42 = b2, a43 = b3, a50 = b0, a51 = b1, a52 = b2, a53 = b3;
        int x0 = xOff, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k;
        int w = wOff;
        for (int kk = 0; kk < k; kk++, w += PANEL) {
            FloatVector w0 = FloatVector.fromArray(S, packed, w);
            FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
            FloatVector w2 = FloatVector.fromArray(S, packed, w + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, packed, w + 3 * L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + kk]);
            a00 = v.fma(w0, a00); a01 = v.fma(w1, a01); a02 = v.fma(w2, a02); a03 = v.fma(w3, a03);
            v = FloatVector.broadcast(S, x[x1 + kk]);
            a10 = v.fma(w0, a10); a11 = v.fma(w1, a11); a12 = v.fma(w2, a12); a13 = v.fma(w3, a13);
            v = FloatVector.broadcast(S, x[x2 + kk]);
            a20 = v.fma(w0, a20); a21 = v.fma(w1, a21); a22 = v.fma(w2, a22); a23 = v.fma(w3, a23);
            v = FloatVector.broadcast(S, x[x3 + kk]);
            a30 = v.fma(w0, a30); a31 = v.fma(w1, a31); a32 = v.fma(w2, a32); a33 = v.fma(w3, a33);
            v = FloatVector.broadcast(S, x[x4 + kk]);
            a40 = v.fma(w0, a40); a41 = v.fma(w1, a41); a42 = v.fma(w2, a42); a43 = v.fma(w3, a43);
            v = FloatVector.broadcast(S, x[x5 + kk]);
            a50 = v.fma(w0, a50); a51 = v.fma(w1, a51); a52 = v.fma(w2, a52); a53 = v.fma(w3, a53);
        }
        int o = oOff;
        a00.intoArray(out, o); a01.intoArray(out, o + L); a02.intoArray(out, o + 2 * L); a03.intoArray(out, o + 3 * L);
        o += oStride;
        a10.intoArray(out, o); a11.intoArray(out, o + L); a12.intoArray(out, o + 2 * L); a13.intoArray(out, o + 3 * L);
        o += oStride;
        a20.intoArray(out, o); a21.intoArray(out, o + L); a22.intoArray(out, o + 2 * L); a23.intoArray(out, o + 3 * L);
        o += oStride;
        a30.intoArray(out, o); a31.intoArray(out, o + L); a32.intoArray(out, o + 2 * L); a33.intoArray(out, o + 3 * L);
        o += oStride;
        a40.intoArray(out, o); a41.intoArray(out, o + L); a42.intoArray(out, o + 2 * L); a43.intoArray(out, o + 3 * L);
        o += oStride;
        a50.intoArray(out, o); a51.intoArray(out, o + L); a52.intoArray(out, o + 2 * L); a53.intoArray(out, o + 3 * L);
    }

    /** Four rows of x times one full panel: the micro-kernel's shape for the rows a block of six leaves over. */
    private static void kernel4(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                float[] out, int oOff, int oStride) {
        if (NV == 4) kernel4x4(x, xOff, k, packed, wOff, bias, bOff, out, oOff, oStride);
        else kernel4x2(x, xOff, k, packed, wOff, bias, bOff, out, oOff, oStride);
    }

    /** {@link #kernel6x4} for four rows: 16 accumulators. */
    private static void kernel4x4(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                  float[] out, int oOff, int oStride) {
        FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff);
        FloatVector b1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + L);
        FloatVector b2 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 2 * L);
        FloatVector b3 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + 3 * L);
        FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
        FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
        int x0 = xOff, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        int w = wOff;
        for (int kk = 0; kk < k; kk++, w += PANEL) {
            FloatVector w0 = FloatVector.fromArray(S, packed, w);
            FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
            FloatVector w2 = FloatVector.fromArray(S, packed, w + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, packed, w + 3 * L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + kk]);
            a00 = v.fma(w0, a00); a01 = v.fma(w1, a01); a02 = v.fma(w2, a02); a03 = v.fma(w3, a03);
            v = FloatVector.broadcast(S, x[x1 + kk]);
            a10 = v.fma(w0, a10); a11 = v.fma(w1, a11); a12 = v.fma(w2, a12); a13 = v.fma(w3, a13);
            v = FloatVector.broadcast(S, x[x2 + kk]);
            a20 = v.fma(w0, a20); a21 = v.fma(w1, a21); a22 = v.fma(w2, a22); a23 = v.fma(w3, a23);
            v = FloatVector.broadcast(S, x[x3 + kk]);
            a30 = v.fma(w0, a30); a31 = v.fma(w1, a31); a32 = v.fma(w2, a32); a33 = v.fma(w3, a33);
        }
        int o = oOff;
        a00.intoArray(out, o); a01.intoArray(out, o + L); a02.intoArray(out, o + 2 * L); a03.intoArray(out, o + 3 * L);
        o += oStride;
        a10.intoArray(out, o); a11.intoArray(out, o + L); a12.intoArray(out, o + 2 * L); a13.intoArray(out, o + 3 * L);
        o += oStride;
        a20.intoArray(out, o); a21.intoArray(out, o + L); a22.intoArray(out, o + 2 * L); a23.intoArray(out, o + 3 * L);
        o += oStride;
        a30.intoArray(out, o); a31.intoArray(out, o + L); a32.intoArray(out, o + 2 * L); a33.intoArray(out, o + 3 * L);
    }

    /** {@link #kernel6x2} for four rows: 8 accumulators. */
    private static void kernel4x2(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                  float[] out, int oOff, int oStride) {
        FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff);
        FloatVector b1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + L);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
        int x0 = xOff, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        int w = wOff;
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
        }
        int o = oOff;
        a00.intoArray(out, o); a01.intoArray(out, o + L);
        o += oStride;
        a10.intoArray(out, o); a11.intoArray(out, o + L);
        o += oStride;
        a20.intoArray(out, o); a21.intoArray(out, o + L);
        o += oStride;
        a30.intoArray(out, o); a31.intoArray(out, o + L);
    }

    /** The AVX2 shape of the micro-kernel: 2 weight vectors × 6 rows = 12 accumulators. */
    private static void kernel6x2(float[] x, int xOff, int k, float[] packed, int wOff, float[] bias, int bOff,
                                  float[] out, int oOff, int oStride) {
        FloatVector b0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff);
        FloatVector b1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, bOff + L);
        FloatVector a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1;
        FloatVector a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
        int x0 = xOff, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k;
        int w = wOff;
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
        int o = oOff;
        a00.intoArray(out, o); a01.intoArray(out, o + L);
        o += oStride;
        a10.intoArray(out, o); a11.intoArray(out, o + L);
        o += oStride;
        a20.intoArray(out, o); a21.intoArray(out, o + L);
        o += oStride;
        a30.intoArray(out, o); a31.intoArray(out, o + L);
        o += oStride;
        a40.intoArray(out, o); a41.intoArray(out, o + L);
        o += oStride;
        a50.intoArray(out, o); a51.intoArray(out, o + L);
    }

    /**
     * A small strided matrix product, {@code c[i, j] = alpha · Σ_p a[i, p] · b[p, j]} for {@code i < n, j < m, p < k},
     * where {@code a[i, p] = a[aOff + i·aStride + p]}, {@code b[p, j] = b[bOff + p·bStride + j]} and
     * {@code c[i, j] = c[cOff + i·cStride + j]}. Attention's per-head products (Q·Kᵀ, P·V) are such views into
     * wider activations. Single-threaded: callers parallelise over heads.
     */
    public static void matmulStrided(int n, int m, int k, float alpha, float[] a, int aOff, int aStride,
                                     float[] b, int bOff, int bStride, float[] c, int cOff, int cStride) {
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int j = 0;
            for (; j + 2 * L <= m; j += 2 * L) {
                strided4x2(k, alpha, a, aOff + i * aStride, aStride, b, bOff + j, bStride, c, cOff + i * cStride + j, cStride);
            }
            for (; j + L <= m; j += L) {
                strided4Rows(k, alpha, a, aOff + i * aStride, aStride, b, bOff + j, bStride, c, cOff + i * cStride + j, cStride);
            }
            for (int r = i; r < i + 4 && j < m; r++) {
                stridedTail(m, j, k, alpha, a, aOff + r * aStride, b, bOff, bStride, c, cOff + r * cStride);
            }
        }
        for (; i < n; i++) stridedTail(m, 0, k, alpha, a, aOff + i * aStride, b, bOff, bStride, c, cOff + i * cStride);
    }

    /** Four rows × two vectors of columns: each broadcast of {@code a} feeds two multiply-adds. */
    private static void strided4x2(int k, float alpha, float[] a, int a0, int aStride, float[] b, int bp, int bStride,
                                   float[] c, int ci, int cStride) {
        int a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++, bp += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + p]);
            c00 = v.fma(b0, c00); c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + p]);
            c10 = v.fma(b0, c10); c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + p]);
            c20 = v.fma(b0, c20); c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + p]);
            c30 = v.fma(b0, c30); c31 = v.fma(b1, c31);
        }
        c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + L);
        ci += cStride;
        c10.mul(alpha).intoArray(c, ci); c11.mul(alpha).intoArray(c, ci + L);
        ci += cStride;
        c20.mul(alpha).intoArray(c, ci); c21.mul(alpha).intoArray(c, ci + L);
        ci += cStride;
        c30.mul(alpha).intoArray(c, ci); c31.mul(alpha).intoArray(c, ci + L);
    }

    /** Four rows × one vector of columns: the four rows of {@code a} share every vector loaded from {@code b}. */
    private static void strided4Rows(int k, float alpha, float[] a, int a0, int aStride, float[] b, int bp, int bStride,
                                     float[] c, int ci, int cStride) {
        int a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, bp += bStride) {
            FloatVector bv = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(bv, c3);
        }
        c0.mul(alpha).intoArray(c, ci);
        c1.mul(alpha).intoArray(c, ci + cStride);
        c2.mul(alpha).intoArray(c, ci + 2 * cStride);
        c3.mul(alpha).intoArray(c, ci + 3 * cStride);
    }

    /** One row, columns {@code [j0, m)}, with a masked last vector. */
    private static void stridedTail(int m, int j0, int k, float alpha, float[] a, int ai, float[] b, int bOff, int bStride,
                                    float[] c, int ci) {
        for (int j = j0; j < m; j += L) {
            var mask = S.indexInRange(j, m);
            FloatVector acc = FloatVector.zero(S);
            for (int p = 0, bp = bOff + j; p < k; p++, bp += bStride) {
                acc = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bp, mask), acc);
            }
            acc.mul(alpha).intoArray(c, ci + j, mask);
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
        parallelFor((n + ROW_BLOCK - 1) / ROW_BLOCK, 4L * n * d, blk -> {
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) layerNormRow(x, i * d, d, gamma, beta, eps, out);
        });
    }

    /**
     * The post-LN residual step on {@code n} rows of width {@code d}: {@code x = LayerNorm(x + y)}, in one pass over
     * each row while it is in cache.
     */
    public static void addLayerNorm(float[] x, float[] y, int n, int d, float[] gamma, float[] beta, float eps) {
        parallelFor((n + ROW_BLOCK - 1) / ROW_BLOCK, 4L * n * d, blk -> {
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                int o = i * d;
                int j = 0;
                for (; j <= d - L; j += L) FloatVector.fromArray(S, x, o + j).add(FloatVector.fromArray(S, y, o + j)).intoArray(x, o + j);
                for (; j < d; j++) x[o + j] += y[o + j];
                layerNormRow(x, o, d, gamma, beta, eps, x);
            }
        });
    }

    /** Rows per task for row-wise kernels. */
    private static final int ROW_BLOCK = 64;

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
        rmsNorm(x, 0, n, d, gamma, eps, out);
    }

    /** As {@link #rmsNorm(float[], int, int, float[], float, float[])} on the rows starting at {@code x[off]}, into {@code out[off...]}. */
    public static void rmsNorm(float[] x, int off, int n, int d, float[] gamma, float eps, float[] out) {
        for (int i = 0; i < n; i++) {
            int o = off + i * d;
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

    /** SiLU (swish), {@code x · sigmoid(x)}, on {@code x[off, off+len)} in place, {@code x / (1 + e^-x)}, vectorized (the lane-wise exp is the JDK's). */
    public static void silu(float[] x, int off, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(x, off + i);
        }
        for (; i < len; i++) x[off + i] = (float) (x[off + i] / (1.0 + Math.exp(-x[off + i])));
    }

    /** {@code out[outOff + i] = a[aOff + i] · b[bOff + i]} for {@code i < len}. */
    public static void multiply(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len) {
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < len; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
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
