package dev.streamformer.tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes fp32 tensors as a {@code .safetensors} file (the format {@link SafeTensors} reads), each stored as F32
 * (exact) or BF16 (rounded to nearest even, the way PyTorch's {@code .to(torch.bfloat16)} rounds).
 */
public final class SafeTensorsWriter {

    /** How a tensor's values are stored in the file. */
    public enum Dtype {
        /** 4 bytes a value, exact. */
        F32(4),
        /** 2 bytes a value: the upper half of the fp32 bits after rounding (8 exponent bits, 7 mantissa bits). */
        BF16(2);

        final int bytes;

        Dtype(int bytes) { this.bytes = bytes; }
    }

    private record Entry(Tensor tensor, Dtype dtype) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** Adds a tensor stored as F32. */
    public SafeTensorsWriter add(String name, Tensor tensor) {
        return add(name, tensor, Dtype.F32);
    }

    /** Adds a tensor stored as {@code dtype}. */
    public SafeTensorsWriter add(String name, Tensor tensor, Dtype dtype) {
        tensors.put(name, new Entry(tensor, dtype));
        return this;
    }

    public void write(Path file) throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            long bytes = (long) e.getValue().dtype().bytes * e.getValue().tensor().data().length;
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", e.getValue().dtype().name());
            var shape = entry.putArray("shape");
            for (int d : e.getValue().tensor().shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (Entry e : tensors.values()) writeValues(out, e.tensor().data(), e.dtype());
        }
    }

    /** Writes the values little-endian, a chunk at a time (a large tensor never needs a second full-size copy). */
    private static void writeValues(OutputStream out, float[] data, Dtype dtype) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (dtype == Dtype.F32) buf.putFloat(v);
            else buf.putShort(toBf16(v));
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
        out.write(buf.array(), 0, buf.position());
    }

    /**
     * The BF16 nearest to {@code value}, ties to even (NaN stays a quiet NaN). Widening it back
     * ({@code Float.intBitsToFloat(bits << 16)}) is exact, so a BF16 file read as fp32 holds exactly these values.
     */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) ((bits >>> 16) | 0x0040);
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
