package dev.streamformer.engine.java.decoder;

import dev.streamformer.tensor.Bf16Matrix;
import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.Q8Matrix;

/**
 * A linear layer {@code y = x · Wᵀ + b} with {@code W} stored {@code [out, in]}: the one place the decoders multiply
 * by a weight matrix. The weight is fp32, bf16 as a checkpoint stores it, or Q8_0 blocks after {@link #quantized()};
 * exactly one of the three fields holds it.
 */
final class Linear {

    private final float[] weight;      // [out, in] fp32, or null
    private final Bf16Matrix bf16;     // [out, in] bf16, or null
    private final Q8Matrix quantized;  // [out, in] Q8_0, or null
    private final float[] bias;        // [out] or null
    private final int in;
    private final int out;

    Linear(float[] weight, float[] bias, int in, int out) {
        if (weight.length != in * out) {
            throw new IllegalArgumentException("weight of " + weight.length + " values is not [" + out + ", " + in + "]");
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias of " + bias.length + " values does not match " + out + " outputs");
        }
        this.weight = weight;
        this.bf16 = null;
        this.quantized = null;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /** A layer whose weight stays in bf16. */
    Linear(Bf16Matrix weight, float[] bias) {
        if (bias != null && bias.length != weight.rows()) {
            throw new IllegalArgumentException("bias of " + bias.length + " values does not match " + weight.rows() + " outputs");
        }
        this.weight = null;
        this.bf16 = weight;
        this.quantized = null;
        this.bias = bias;
        this.in = weight.cols();
        this.out = weight.rows();
    }

    private Linear(Q8Matrix quantized, float[] bias) {
        this.weight = null;
        this.bf16 = null;
        this.quantized = quantized;
        this.bias = bias;
        this.in = quantized.cols();
        this.out = quantized.rows();
    }

    int in() { return in; }

    int out() { return out; }

    /** The same layer with its weight in Q8_0 (the bias stays fp32). */
    Linear quantized() {
        if (quantized != null) return this;
        return new Linear(Q8Matrix.quantize(weight != null ? weight : bf16.toFloats(), out, in), bias);
    }

    /** The same layer with its weight widened to fp32. */
    Linear widened() {
        return bf16 == null ? this : new Linear(bf16.toFloats(), bias, in, out);
    }

    /** Bytes of weight read per row of x: what bounds decoding speed at batch 1. */
    long weightBytes() {
        return quantized != null ? quantized.bytes() : bf16 != null ? bf16.bytes() : 4L * weight.length;
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    void apply(float[] x, int n, float[] y) {
        if (quantized != null) quantized.multiply(x, n, bias, y);
        else if (bf16 != null) bf16.multiply(x, n, bias, y);
        else Kernels.linear(x, n, in, weight, bias, out, y);
    }
}
