package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Bf16Matrix;
import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.Q8Matrix;

import java.util.Arrays;

/**
 * A fully connected layer, {@code y = x·Wᵀ + b}: the one place the Java engine multiplies by a weight matrix, for the
 * encoder and every decoder. {@code W} arrives as {@code [out, in]} and is kept in one of three forms:
 * <ul>
 *   <li>fp32, repacked once at load into the column panels the matrix kernel streams through
 *       ({@link Kernels#pack}): fast for one row (a decoding step) and for many (a prompt, a batch of texts);</li>
 *   <li>bf16 as a checkpoint stores it ({@link Bf16Matrix}): half the memory, widened exactly in the kernel;</li>
 *   <li>Q8_0 blocks ({@link Q8Matrix}, {@link #quantized()}): a quarter of fp32's bytes.</li>
 * </ul>
 * Exactly one of the three fields holds the weight. Immutable; one instance serves every thread.
 */
public final class Linear {

    private final int in;
    private final int out;
    private final float[] packedWeight;  // fp32 in Kernels.pack's panels, or null
    private final Bf16Matrix bf16;       // or null
    private final Q8Matrix q8;           // or null
    private final float[] bias;          // [out] or null

    private Linear(int in, int out, float[] packedWeight, Bf16Matrix bf16, Q8Matrix q8, float[] bias) {
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias of " + bias.length + " values does not match " + out + " outputs");
        }
        this.in = in;
        this.out = out;
        this.packedWeight = packedWeight;
        this.bf16 = bf16;
        this.q8 = q8;
        this.bias = bias;
    }

    /** An fp32 layer from {@code weight [out, in]}; the bias may be null. */
    public Linear(float[] weight, float[] bias, int in, int out) {
        this(in, out, Kernels.pack(weight, out, in), null, null, bias);
    }

    /** A layer whose weight stays in bf16. */
    public Linear(Bf16Matrix weight, float[] bias) {
        this(weight.cols(), weight.rows(), null, weight, null, bias);
    }

    /** A layer whose weight is already in Q8_0 blocks (read from a GGUF file). */
    public Linear(Q8Matrix weight, float[] bias) {
        this(weight.cols(), weight.rows(), null, null, weight, bias);
    }

    /**
     * One layer that computes the given layers side by side: {@code y = x·[W₁; W₂; …]ᵀ}, the weights' rows stacked and
     * the outputs concatenated ({@code [n, Σ out]}). Why: at batch 1 a decoding step is a string of matrix-vector
     * products, and one product for q, k and v (or gate and up) reads x once and spreads over the cores once instead of
     * three times. Every output value is computed exactly as by its own layer. The parts share {@code in} and their form
     * (fp32, bf16 or Q8_0); a missing bias counts as zeros when another part has one.
     */
    public static Linear stacked(Linear... parts) {
        int in = parts[0].in, out = 0;
        boolean anyBias = false;
        for (Linear p : parts) {
            if (p.in != in) throw new IllegalArgumentException("cannot stack layers of " + in + " and " + p.in + " inputs");
            if (p.form() != parts[0].form()) throw new IllegalArgumentException("cannot stack a " + parts[0].form() + " layer with a " + p.form() + " one");
            out += p.out;
            anyBias |= p.bias != null;
        }
        float[] bias = anyBias ? new float[out] : null;
        for (int i = 0, at = 0; anyBias && i < parts.length; at += parts[i].out, i++) {
            if (parts[i].bias != null) System.arraycopy(parts[i].bias, 0, bias, at, parts[i].out);
        }
        return switch (parts[0].form()) {
            case Q8_0 -> new Linear(in, out, null, null, Q8Matrix.stack(Arrays.stream(parts).map(p -> p.q8).toArray(Q8Matrix[]::new)), bias);
            case BF16 -> new Linear(in, out, null, Bf16Matrix.stack(Arrays.stream(parts).map(p -> p.bf16).toArray(Bf16Matrix[]::new)), null, bias);
            case FP32 -> {
                float[] w = new float[out * in];
                for (int i = 0, at = 0; i < parts.length; at += parts[i].out * in, i++) {
                    System.arraycopy(parts[i].weightAsFloats(), 0, w, at, parts[i].out * in);
                }
                yield new Linear(w, bias, in, out);
            }
        };
    }

    /** How a layer keeps its weight. */
    private enum Form { FP32, BF16, Q8_0 }

    private Form form() {
        return q8 != null ? Form.Q8_0 : bf16 != null ? Form.BF16 : Form.FP32;
    }

    public int in() { return in; }

    public int out() { return out; }

    /** The same layer with its weight in Q8_0 (the bias stays fp32). */
    public Linear quantized() {
        return q8 != null ? this : new Linear(in, out, null, null, Q8Matrix.quantize(weightAsFloats(), out, in), bias);
    }

    /** The same layer with a bf16 weight widened to fp32 (others unchanged). */
    public Linear widened() {
        return bf16 == null ? this : new Linear(bf16.toFloats(), bias, in, out);
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    public void forward(float[] x, int n, float[] y) {
        forward(x, n, y, Kernels.Activation.NONE);
    }

    /** {@code y[n, out] = act(x[n, in] · Wᵀ + b)}. */
    public void forward(float[] x, int n, float[] y, Kernels.Activation act) {
        if (packedWeight != null) {
            Kernels.matmulPacked(x, n, in, packedWeight, bias, out, y, act);
            return;
        }
        if (bf16 != null) bf16.multiply(x, n, bias, y);
        else q8.multiply(x, n, bias, y);
        Kernels.activate(act, y, 0, n * out);  // not fused: the bf16/Q8_0 products write whole rows at once
    }

    /** The fp32 values of {@code W [out, in]}, from whichever form holds them (for quantizing). */
    private float[] weightAsFloats() {
        if (bf16 != null) return bf16.toFloats();
        float[] w = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) w[o * in + i] = packedWeight[((o / Kernels.PANEL) * in + i) * Kernels.PANEL + o % Kernels.PANEL];
        }
        return w;
    }
}
