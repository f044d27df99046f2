package dev.streamformer.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (llama.cpp's single-file model format, versions 2 and 3), memory-mapped. Little-endian throughout:
 * <pre>
 *   "GGUF"  u32 version  u64 tensor_count  u64 kv_count
 *   kv_count × (string key, u32 value_type, value)        metadata: general.*, {arch}.*, tokenizer.ggml.*
 *   tensor_count × (string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset)
 *   padding to general.alignment (default 32)
 *   tensor data; each tensor at data_start + offset
 * </pre>
 * A string is {@code u64 length} + UTF-8 bytes; value types 0..12 are u8, i8, u16, i16, u32, i32, f32, bool,
 * string, array ({@code u32 type, u64 count, values}), u64, i64, f64. Metadata values come back as {@link Long}
 * (every integer type), {@link Float}, {@link Double}, {@link Boolean}, {@link String} or {@link List} of those.
 *
 * <p>{@code ne[0]} is the fastest-varying dimension: a weight stored by llama.cpp as {@code ne = [in, out]} is the
 * row-major matrix {@code [out, in]} that PyTorch and our {@code Linear} use. Tensor data is read by
 * {@link #floats} (F32, F16, BF16, Q8_0 and Q4_0, dequantized) or, for Q8_0, kept as blocks by {@link #q8}.
 * Everything in the header is checked against the file's size before it is used.
 */
public final class GgufFile implements AutoCloseable {

    /** "GGUF" read as a little-endian u32. */
    private static final int MAGIC = 0x46554747;
    public static final int DEFAULT_ALIGNMENT = 32;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One tensor's header entry.
     *
     * @param dims   {@code ne}: dims[0] is the row length (columns), dims[1] the number of rows, ...
     * @param offset from the start of the data section
     */
    public record TensorInfo(String name, long[] dims, GgmlType type, long offset) {
        public long count() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        /** Values per row ({@code ne[0]}). */
        public int cols() { return Math.toIntExact(dims[0]); }

        /** Rows: the product of every dimension after the first. */
        public int rows() { return Math.toIntExact(count() / dims[0]); }

        public long bytes() { return type.bytesFor(count()); }
    }

    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;

    private GgufFile(Path path, Arena arena, MemorySegment file) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        Cursor in = new Cursor();
        if (file.byteSize() < 24 || in.i32() != MAGIC) {
            throw new GgufFormatException(path + " is not a GGUF file (it does not start with \"GGUF\"); give a .gguf model file.");
        }
        version = in.i32();
        if (version != 2 && version != 3) {
            throw new GgufFormatException(path + " is GGUF version " + version + "; versions 2 and 3 are read: convert it again with a current llama.cpp.");
        }
        long tensorCount = in.count("tensor count");
        long kvCount = in.count("metadata count");
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            kv.put(key, in.value(in.i32(), key));
        }
        metadata = Collections.unmodifiableMap(kv);
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string();
            int nDims = in.i32();
            if (nDims < 1 || nDims > 4) throw in.bad("tensor " + name + " has " + nDims + " dimensions");
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.i64();
                if (dims[d] <= 0 || dims[d] > Integer.MAX_VALUE) throw in.bad("tensor " + name + " has dimension " + dims[d]);
            }
            int typeId = in.i32();
            GgmlType type = GgmlType.of(typeId);
            if (type == null) throw in.bad("tensor " + name + " has unknown ggml type " + typeId);
            infos.put(name, new TensorInfo(name, dims, type, in.i64()));
        }
        tensors = Collections.unmodifiableMap(infos);
        long alignment = integer("general.alignment", DEFAULT_ALIGNMENT);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) throw in.bad("general.alignment " + alignment + " is not a power of two");
        dataStart = (in.at + alignment - 1) / alignment * alignment;
        for (TensorInfo t : infos.values()) {
            if (t.count() % t.type().blockSize() != 0 || t.offset() % alignment != 0
                    || t.offset() < 0 || dataStart + t.offset() + t.bytes() > file.byteSize()) {
                throw in.bad("tensor " + t.name() + " (" + t.type() + ", " + Arrays.toString(t.dims()) + " at offset "
                        + t.offset() + ") does not fit the file");
            }
        }
    }

    /** Maps and parses {@code path}; the mapping lives until {@link #close()}. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new GgufFile(path, arena, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(path + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    public int version() { return version; }

    /** Every metadata key and value, in file order. */
    public Map<String, Object> metadata() { return metadata; }

    public Map<String, TensorInfo> tensors() { return tensors; }

    public boolean contains(String tensor) { return tensors.containsKey(tensor); }

    public TensorInfo info(String tensor) {
        TensorInfo t = tensors.get(tensor);
        if (t == null) throw new GgufFormatException(path + " has no tensor '" + tensor + "'; it is not a complete model of its architecture.");
        return t;
    }

    /** A required metadata string. */
    public String string(String key) {
        if (!(metadata.get(key) instanceof String s)) throw missing(key, "string");
        return s;
    }

    /** An integer of any width, or {@code fallback} when absent. */
    public long integer(String key, long fallback) {
        Object v = metadata.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Long l)) throw missing(key, "integer");
        return l;
    }

    /** A required integer that fits an int. */
    public int integer(String key) {
        if (!(metadata.get(key) instanceof Long l)) throw missing(key, "integer");
        return Math.toIntExact(l);
    }

    /** A float32 or float64 value, or {@code fallback} when absent. */
    public double number(String key, double fallback) {
        Object v = metadata.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Number n)) throw missing(key, "number");
        return n.doubleValue();
    }

    private GgufFormatException missing(String key, String what) {
        Object v = metadata.get(key);
        return new GgufFormatException(path + (v == null ? " lacks the " + what + " '" + key + "'"
                : " has '" + key + "' = " + v + ", not a " + what) + ", which this model needs; convert it again with llama.cpp's convert_hf_to_gguf.py.");
    }

    /** The values of a tensor as fp32, row-major {@code [rows, cols]} (dequantized where quantized). */
    public float[] floats(String tensor) {
        TensorInfo t = info(tensor);
        long at = dataStart + t.offset();
        int n = Math.toIntExact(t.count());
        float[] out = new float[n];
        switch (t.type()) {
            case F32 -> MemorySegment.copy(file, F32, at, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(file.get(U16, at + 2L * i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((file.get(U16, at + 2L * i) & 0xFFFF) << 16);
            }
            case Q8_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    long block = at + 34L * b;
                    float d = Float.float16ToFloat(file.get(U16, block));
                    for (int i = 0; i < 32; i++) out[32 * b + i] = d * file.get(ValueLayout.JAVA_BYTE, block + 2 + i);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    long block = at + 18L * b;
                    float d = Float.float16ToFloat(file.get(U16, block));
                    for (int j = 0; j < 16; j++) {
                        int packed = file.get(ValueLayout.JAVA_BYTE, block + 2 + j) & 0xFF;
                        out[32 * b + j] = d * ((packed & 0x0F) - 8);
                        out[32 * b + j + 16] = d * ((packed >>> 4) - 8);
                    }
                }
            }
            default -> throw unsupported(t);
        }
        return out;
    }

    /** The values of a tensor that must have {@code shape} ({@code [rows, cols]} or {@code [n]}), as fp32. */
    public float[] floats(String tensor, int... shape) {
        checkShape(tensor, shape);
        return floats(tensor);
    }

    /** Refuses a tensor whose size is not {@code shape} ({@code [rows, cols]} or {@code [n]}). */
    public void checkShape(String tensor, int... shape) {
        TensorInfo t = info(tensor);
        long expected = 1;
        for (int s : shape) expected *= s;
        if (expected != t.count() || t.cols() != shape[shape.length - 1]) {
            throw new GgufFormatException(path + ": tensor " + tensor + " has ne " + Arrays.toString(t.dims())
                    + ", expected " + Arrays.toString(shape) + " (rows, cols); the file does not match its own metadata.");
        }
    }

    /** A BF16 tensor {@code [rows, cols]} as its raw bits (for a matrix that stays bf16). */
    public Bf16Matrix bf16(String tensor) {
        TensorInfo t = info(tensor);
        if (t.type() != GgmlType.BF16) throw new IllegalArgumentException(tensor + " is " + t.type() + ", not BF16");
        short[] bits = new short[Math.toIntExact(t.count())];
        MemorySegment.copy(file, U16, dataStart + t.offset(), bits, 0, bits.length);
        return new Bf16Matrix(bits, t.rows(), t.cols());
    }

    /** A Q8_0 tensor {@code [rows, cols]} kept as its blocks: the fp16 scales widened to float, the int8 values as stored. */
    public Q8Matrix q8(String tensor) {
        TensorInfo t = info(tensor);
        if (t.type() != GgmlType.Q8_0) throw new IllegalArgumentException(tensor + " is " + t.type() + ", not Q8_0");
        int n = Math.toIntExact(t.count());
        byte[] quants = new byte[n];
        float[] scales = new float[n / 32];
        long at = dataStart + t.offset();
        for (int b = 0; b < scales.length; b++) {
            long block = at + 34L * b;
            scales[b] = Float.float16ToFloat(file.get(U16, block));
            MemorySegment.copy(file, ValueLayout.JAVA_BYTE, block + 2, quants, 32 * b, 32);
        }
        return Q8Matrix.ofBlocks(quants, scales, t.rows(), t.cols());
    }

    private GgufFormatException unsupported(TensorInfo t) {
        return new GgufFormatException(path + ": tensor " + t.name() + " is " + t.type() + ", which Streamformer does not read"
                + " (F32, F16, BF16, Q8_0 and Q4_0 are read; K-quants and other types are not): use a Q8_0, Q4_0 or F16 GGUF of this model.");
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Reads the header from the start of the file, every length checked against what is left. */
    private final class Cursor {
        long at;

        GgufFormatException bad(String what) {
            return new GgufFormatException(path + " is not a valid GGUF file: " + what + " (at byte " + at + ")"
                    + "; the file is truncated or damaged, download or convert it again.");
        }

        private void need(long bytes) {
            if (bytes < 0 || at + bytes > file.byteSize()) throw bad("it ends inside its header");
        }

        int i32() { need(4); int v = file.get(I32, at); at += 4; return v; }

        long i64() { need(8); long v = file.get(I64, at); at += 8; return v; }

        long count(String what) {
            long n = i64();
            if (n < 0 || n > file.byteSize()) throw bad(what + " " + n);
            return n;
        }

        String string() {
            long n = count("string length");
            need(n);
            byte[] bytes = new byte[Math.toIntExact(n)];
            MemorySegment.copy(file, ValueLayout.JAVA_BYTE, at, bytes, 0, bytes.length);
            at += n;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Object value(int type, String key) {
            switch (type) {
                case 0 -> { need(1); return (long) (file.get(ValueLayout.JAVA_BYTE, at++) & 0xFF); }
                case 1 -> { need(1); return (long) file.get(ValueLayout.JAVA_BYTE, at++); }
                case 2 -> { need(2); long v = file.get(U16, at) & 0xFFFF; at += 2; return v; }
                case 3 -> { need(2); long v = file.get(U16, at); at += 2; return v; }
                case 4 -> { return Integer.toUnsignedLong(i32()); }
                case 5 -> { return (long) i32(); }
                case 6 -> { need(4); float v = file.get(F32, at); at += 4; return v; }
                case 7 -> { need(1); return file.get(ValueLayout.JAVA_BYTE, at++) != 0; }
                case 8 -> { return string(); }
                case 9 -> {
                    int elementType = i32();
                    long n = count("array length of " + key);
                    if (elementType == 9) throw bad("nested array in " + key);
                    List<Object> values = new ArrayList<>((int) Math.min(n, 1 << 20));
                    for (long i = 0; i < n; i++) values.add(value(elementType, key));
                    return Collections.unmodifiableList(values);
                }
                case 10, 11 -> { return i64(); }
                case 12 -> { need(8); double v = file.get(F64, at); at += 8; return v; }
                default -> throw bad("metadata " + key + " has unknown value type " + type);
            }
        }
    }
}
