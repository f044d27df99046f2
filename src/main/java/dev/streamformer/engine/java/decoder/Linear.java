package dev.streamformer.engine.java.decoder;

import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.Q8Matrix;

/**
 * A linear layer {@code y = x · Wᵀ + b} with {@code W} stored {@code [out, in]}: the one place the decoders multiply
 * by a weight matrix. The weight is fp32, or Q8_0 blocks after {@link #quantized()}.
 */
final class Linear {

    private final float[] weight;      // [out, in] fp32; null once quantized
    private final Q8Matrix quantized;  // [out, in] Q8_0; null while fp32
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
        this.quantized = null;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    private Linear(Q8Matrix quantized, float[] bias) {
        this.weight = null;
        this.quantized = quantized;
        this.bias = bias;
        this.in = quantized.cols();
        this.out = quantized.rows();
    }

    int in() { return in; }

    int out() { return out; }

    /** The same layer with its weight in Q8_0 (the bias stays fp32). */
    Linear quantized() {
        return quantized != null ? this : new Linear(Q8Matrix.quantize(weight, out, in), bias);
    }

    /** Bytes of weight read per row of x: what bounds decoding speed at batch 1. */
    long weightBytes() {
        return quantized != null ? quantized.bytes() : 4L * weight.length;
    }

    /** {@code y[n, out] = x[n, in] · Wᵀ + b}. */
    void apply(float[] x, int n, float[] y) {
        if (quantized != null) quantized.multiply(x, n, bias, y);
        else Kernels.linear(x, n, in, weight, bias, out, y);
    }
}
