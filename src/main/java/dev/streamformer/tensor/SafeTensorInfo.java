package dev.streamformer.tensor;

import java.util.Arrays;

/**
 * One entry of a safetensors header: its element type, its shape and where its bytes lie
 * inside the data section ({@code [begin, end)}, relative to the first byte after the header).
 */
public record SafeTensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /** The element types we convert to fp32; any other type can be listed but not read as floats. */
    public enum DType {
        F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

        public final int bytes;

        DType(int bytes) { this.bytes = bytes; }
    }

    /** Number of elements, the product of the shape (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** The shape as ints, for a {@link Tensor}; a dimension over {@code Integer.MAX_VALUE} cannot be one. */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw new SafeTensorsException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + ", a dimension too large for a Java array; it cannot be read as a Tensor.");
            }
            s[i] = (int) shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
