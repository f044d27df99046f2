package dev.streamformer.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One ONNX {@code TensorProto}: an initializer or the value of a {@code Constant} node.
 * The data stays where it is in the file (a view of {@code raw_data}, or the values of a typed field)
 * until {@link #toFloats()} or {@link #toLongs()} decodes it.
 *
 * @param name     the tensor's name ({@code ""} for a Constant node's value)
 * @param dims     the shape; empty for a scalar
 * @param dataType the ONNX element type, see {@link DataType}
 */
public record OnnxTensor(String name, int[] dims, DataType dataType, ByteBuffer raw, float[] floatData, long[] intData) {

    /** The ONNX element types this reader decodes (ids from {@code onnx.proto}'s {@code TensorProto.DataType}). */
    public enum DataType {
        FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8), BOOL(9, 1),
        FLOAT16(10, 2), DOUBLE(11, 8), BFLOAT16(16, 2);

        final int id;
        final int bytes;

        DataType(int id, int bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        static DataType of(int id, String tensor) {
            for (DataType t : values()) if (t.id == id) return t;
            throw new OnnxFormatException("tensor '" + tensor + "' has ONNX data type " + id
                    + ", which this reader does not support (numbers only: no strings or complex values)");
        }
    }

    public OnnxTensor {
        // without raw_data, values sit in float_data/double_data (FLOAT, DOUBLE) or int32_data/int64_data (the rest)
        if (raw == null && (isFloatField(dataType) ? floatData == null : intData == null)) {
            throw new OnnxFormatException("tensor '" + name + "' of type " + dataType + " has no values in the field its type uses");
        }
        long count = 1;
        for (int d : dims) count *= d;
        long have = raw != null ? raw.remaining() / dataType.bytes
                : floatData != null ? floatData.length : intData != null ? intData.length : 0;
        if (raw != null && raw.remaining() % dataType.bytes != 0) {
            throw new OnnxFormatException("tensor '" + name + "': raw_data of " + raw.remaining() + " bytes is not a whole number of "
                    + dataType + " values");
        }
        if (have != count) {
            throw new OnnxFormatException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " needs " + count
                    + " values but the file holds " + have);
        }
    }

    /** True for the types whose values, without raw_data, are in float_data or double_data (read as floats). */
    static boolean isFloatField(DataType type) {
        return type == DataType.FLOAT || type == DataType.DOUBLE;
    }

    /** Number of elements. */
    public int size() {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** The values as fp32 (FLOAT16 and DOUBLE are converted; integers are not accepted here). */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        switch (dataType) {
            case FLOAT -> {
                if (raw != null) raw.asFloatBuffer().get(0, out);
                else System.arraycopy(floatData, 0, out, 0, n);
            }
            case FLOAT16 -> {
                // fp16 may come as raw_data, or one value per int32_data entry (the low 16 bits)
                for (int i = 0; i < n; i++) {
                    short bits = raw != null ? raw.getShort(2 * i) : (short) intData[i];
                    out[i] = Float.float16ToFloat(bits);
                }
            }
            case BFLOAT16 -> {
                // bf16 is the top half of an fp32
                for (int i = 0; i < n; i++) {
                    int bits = raw != null ? raw.getShort(2 * i) & 0xffff : (int) intData[i] & 0xffff;
                    out[i] = Float.intBitsToFloat(bits << 16);
                }
            }
            case DOUBLE -> {
                for (int i = 0; i < n; i++) out[i] = (float) (raw != null ? raw.getDouble(8 * i) : floatData[i]);
            }
            default -> throw new OnnxFormatException("tensor '" + name + "' holds " + dataType + ", not floating point values");
        }
        return out;
    }

    /** The values as int64 (INT64, INT32, INT8, UINT8 or BOOL tensors). */
    public long[] toLongs() {
        int n = size();
        long[] out = new long[n];
        switch (dataType) {
            case INT64 -> {
                if (raw != null) raw.asLongBuffer().get(0, out);
                else System.arraycopy(intData, 0, out, 0, n);
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) out[i] = raw != null ? raw.getInt(4 * i) : intData[i];
            }
            case INT8, UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    byte b = raw != null ? raw.get(i) : (byte) intData[i];
                    out[i] = dataType == DataType.INT8 ? b : b & 0xff;
                }
            }
            default -> throw new OnnxFormatException("tensor '" + name + "' holds " + dataType + ", not integers");
        }
        return out;
    }

    /** The single value of a scalar or one-element tensor, as a double. */
    public double scalar() {
        if (size() != 1) throw new OnnxFormatException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " is not a scalar");
        return dataType == DataType.INT64 || dataType == DataType.INT32 ? toLongs()[0] : toFloats()[0];
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + dataType + Arrays.toString(dims) + "]";
    }
}
