package dev.streamformer.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files for tests, written from the format description (ggml's docs/gguf.md) and llama.cpp's
 * reference quantizers ({@code quantize_row_q8_0_ref}, {@code quantize_row_q4_0_ref} in ggml-quants.c), independently
 * of {@link GgufFile} and {@link Q8Matrix}.
 *
 * <p>Metadata values: {@link String}, {@link Integer} (written as uint32), {@link Long} (uint64), {@link Float}
 * (float32), {@link Double} (float64), {@link Boolean}, a {@link List} of one of those, or a {@link Typed} value for
 * the other integer widths.
 */
public final class GgufWriter {

    /** A metadata value with an explicit GGUF value type (0 u8, 1 i8, 2 u16, 3 i16, 5 i32, 11 i64). */
    public record Typed(int type, long value) {}

    /** A tensor as written: {@code ne} (ne[0] = row length), its type and its bytes. */
    public record Written(String name, long[] ne, GgmlType type, byte[] data) {}

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Written> tensors = new ArrayList<>();

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds {@code w [rows, cols]} (or a vector when rows is 1 and {@code vector}) in {@code type}; returns the bytes written. */
    public Written add(String name, float[] w, int rows, int cols, GgmlType type) {
        byte[] data = switch (type) {
            case F32 -> {
                ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : w) b.putFloat(v);
                yield b.array();
            }
            case F16 -> {
                ByteBuffer b = ByteBuffer.allocate(2 * w.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : w) b.putShort(Float.floatToFloat16(v));
                yield b.array();
            }
            case BF16 -> {   // the top 16 bits, as a bf16 checkpoint stores them (exact for values that came from one)
                ByteBuffer b = ByteBuffer.allocate(2 * w.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : w) {
                    int bits = Float.floatToRawIntBits(v);
                    if ((bits & 0xFFFF) != 0) throw new IllegalArgumentException("the test writer writes BF16 only for bf16 values");
                    b.putShort((short) (bits >>> 16));
                }
                yield b.array();
            }
            case Q8_0 -> q8_0(w);
            case Q4_0 -> q4_0(w);
            default -> throw new IllegalArgumentException("the test writer does not write " + type);
        };
        long[] ne = rows == 1 ? new long[] {cols} : new long[] {cols, rows};
        Written t = new Written(name, ne, type, data);
        tensors.add(t);
        return t;
    }

    /** {@code quantize_row_q8_0_ref}: per 32 values d = amax / 127, q = roundf(x / d); stored as fp16 d + 32 int8. */
    static byte[] q8_0(float[] x) {
        if (x.length % 32 != 0) throw new IllegalArgumentException("Q8_0 needs a multiple of 32 values");
        ByteBuffer out = ByteBuffer.allocate(x.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[32 * b + j]));
            float d = amax / ((1 << 7) - 1);
            float id = d != 0 ? 1.0f / d : 0.0f;
            out.putShort(Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) out.put((byte) roundf(x[32 * b + j] * id));
        }
        return out.array();
    }

    /**
     * {@code quantize_row_q4_0_ref}: per 32 values the value of largest magnitude {@code max} (sign kept), d = max / -8,
     * q = min(15, (int8) (x / d + 8.5)); byte j holds q[j] in its low nibble and q[j + 16] in its high one.
     */
    static byte[] q4_0(float[] x) {
        if (x.length % 32 != 0) throw new IllegalArgumentException("Q4_0 needs a multiple of 32 values");
        ByteBuffer out = ByteBuffer.allocate(x.length / 32 * 18).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0, max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[32 * b + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            out.putShort(Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int q0 = Math.min(15, (byte) (int) (x[32 * b + j] * id + 8.5f));
                int q1 = Math.min(15, (byte) (int) (x[32 * b + 16 + j] * id + 8.5f));
                out.put((byte) (q0 | (q1 << 4)));
            }
        }
        return out.array();
    }

    /** C's {@code roundf}: half away from zero. */
    private static int roundf(float v) {
        return v >= 0 ? Math.round(v) : -Math.round(-v);
    }

    /** Writes header, metadata, tensor infos, padding to the alignment and the tensor data, each tensor aligned. */
    public void write(Path file) throws IOException {
        int alignment = metadata.get("general.alignment") instanceof Integer a ? a : 32;
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        u32(header, 0x46554747);   // "GGUF"
        u32(header, 3);
        u64(header, tensors.size());
        u64(header, metadata.size());
        for (var e : metadata.entrySet()) {
            string(header, e.getKey());
            Object v = e.getValue();
            u32(header, typeOf(v));
            value(header, v);
        }
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Written t : tensors) {
            string(header, t.name());
            u32(header, t.ne().length);
            for (long n : t.ne()) u64(header, n);
            u32(header, t.type().id());
            offsets.add(offset);
            u64(header, offset);
            offset = align(offset + t.data().length, alignment);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header.toByteArray());
            long at = header.size();
            out.write(new byte[(int) (align(at, alignment) - at)]);
            long dataAt = 0;
            for (int i = 0; i < tensors.size(); i++) {
                out.write(new byte[(int) (offsets.get(i) - dataAt)]);
                out.write(tensors.get(i).data());
                dataAt = offsets.get(i) + tensors.get(i).data().length;
            }
        }
    }

    private static long align(long at, int alignment) {
        return (at + alignment - 1) / alignment * alignment;
    }

    private static int typeOf(Object v) {
        return switch (v) {
            case Typed t -> t.type();
            case Integer i -> 4;
            case Float f -> 6;
            case Boolean b -> 7;
            case String s -> 8;
            case List<?> l -> 9;
            case Long l -> 10;
            case Double d -> 12;
            default -> throw new IllegalArgumentException("no GGUF type for " + v.getClass());
        };
    }

    private static void value(ByteArrayOutputStream out, Object v) {
        switch (v) {
            case Typed t -> {
                switch (t.type()) {
                    case 0, 1 -> out.write((int) t.value());
                    case 2, 3 -> { out.write((int) t.value()); out.write((int) (t.value() >> 8)); }
                    case 5 -> u32(out, (int) t.value());
                    case 11 -> u64(out, t.value());
                    default -> throw new IllegalArgumentException("type " + t.type());
                }
            }
            case Integer i -> u32(out, i);
            case Float f -> u32(out, Float.floatToRawIntBits(f));
            case Boolean b -> out.write(b ? 1 : 0);
            case String s -> string(out, s);
            case List<?> l -> {
                u32(out, l.isEmpty() ? 8 : typeOf(l.getFirst()));
                u64(out, l.size());
                for (Object e : l) value(out, e);
            }
            case Long l -> u64(out, l);
            case Double d -> u64(out, Double.doubleToRawLongBits(d));
            default -> throw new IllegalArgumentException("no GGUF type for " + v.getClass());
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
}
