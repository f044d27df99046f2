package dev.streamformer.tensor;

import java.util.Arrays;

/**
 * A dense fp32 tensor in row-major order: {@code data} holds {@code product(shape)} values.
 * Deliberately tiny: a shape and a flat array are all the engines need to exchange results.
 */
public record Tensor(float[] data, int[] shape) {

    public Tensor {
        long size = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values but the data has " + data.length);
        }
    }

    public static Tensor zeros(int... shape) {
        long size = 1;
        for (int d : shape) size *= d;
        return new Tensor(new float[Math.toIntExact(size)], shape.clone());
    }

    public int rank() { return shape.length; }

    public int dim(int axis) { return shape[axis]; }

    /** Value at [i, j, k] of a rank-3 tensor. */
    public float get(int i, int j, int k) { return data[(i * shape[1] + j) * shape[2] + k]; }

    /** Value at [i, j] of a rank-2 tensor. */
    public float get(int i, int j) { return data[i * shape[1] + j]; }

    @Override
    public String toString() { return "Tensor" + Arrays.toString(shape); }
}
