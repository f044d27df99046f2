package dev.streamformer.tensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.tensor.SafeTensorInfo.DType;

import java.io.IOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Hugging Face {@code .safetensors} file.
 *
 * <p>The format: 8 bytes little-endian {@code u64} header length {@code N}, then {@code N} bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {...}}}),
 * then the data section. Offsets are relative to the start of the data section; values are little-endian.
 *
 * <p>Everything the header claims is checked against the file before any tensor is allocated: the header
 * length against the file size, every {@code [begin, end)} inside the data section and not overlapping
 * another, and {@code end - begin == product(shape) * sizeof(dtype)}. The data section is memory-mapped;
 * {@link #floats(String)} copies one tensor out as fp32 (F16 and BF16 widened exactly).
 */
public final class SafeTensors implements AutoCloseable {

    /** The reference implementation refuses headers above 100 MB; so do we, before reading one. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, SafeTensorInfo> entries;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Arena arena, MemorySegment data, Map<String, SafeTensorInfo> entries,
                        Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates a safetensors file; the data stays mapped until {@link #close()}. */
    public static SafeTensors open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw error(file, "is " + fileSize + " bytes long, too short to hold the 8-byte header length");
            }
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            long headerLength = whole.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength < 0 || headerLength > fileSize - 8) {
                throw error(file, "declares a header of " + Long.toUnsignedString(headerLength)
                        + " bytes but the file has only " + (fileSize - 8) + " bytes after the length field");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw error(file, "declares a header of " + headerLength + " bytes, above the 100 MB limit");
            }
            byte[] headerBytes = whole.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = whole.asSlice(8 + headerLength);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, SafeTensorInfo> entries = parseHeader(file, headerBytes, data.byteSize(), metadata);
            return new SafeTensors(file, arena, data, entries, Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            arena.close();
            throw new SafeTensorsException(file + ": cannot be read (" + e.getMessage() + ").", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, SafeTensorInfo> parseHeader(Path file, byte[] headerBytes, long dataSize,
                                                           Map<String, String> metadata) {
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw error(file, "has a header that is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw error(file, "has a header that is not a JSON object");
        }
        Map<String, SafeTensorInfo> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                node.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(name, parseEntry(file, name, node, dataSize));
        }
        checkNoOverlap(file, entries.values());
        return entries;
    }

    private static SafeTensorInfo parseEntry(Path file, String name, JsonNode node, long dataSize) {
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || shapeNode == null || offsetsNode == null || !shapeNode.isArray()
                || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw error(file, "has a header entry '" + name + "' without dtype, shape and a two-element data_offsets");
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw error(file, "gives tensor '" + name + "' the unknown dtype '" + dtypeNode.asText() + "'");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) {
                throw error(file, "gives tensor '" + name + "' an invalid shape " + shapeNode);
            }
            shape[i] = d.asLong();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw error(file, "gives tensor '" + name + "' a shape " + shapeNode + " too large to address");
            }
        }
        long begin = offsetsNode.get(0).asLong(-1);
        long end = offsetsNode.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw error(file, "places tensor '" + name + "' at bytes [" + begin + ", " + end
                    + ") outside the data section of " + dataSize + " bytes");
        }
        if (elements > Long.MAX_VALUE / dtype.bytes || end - begin != elements * dtype.bytes) {
            throw error(file, "gives tensor '" + name + "' shape " + Arrays.toString(shape) + " of " + dtype
                    + " (" + elements + " values) but " + (end - begin) + " bytes of data");
        }
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path file, Iterable<SafeTensorInfo> infos) {
        List<SafeTensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(SafeTensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            SafeTensorInfo prev = sorted.get(i - 1);
            SafeTensorInfo next = sorted.get(i);
            if (next.begin() < prev.end()) {
                throw error(file, "has tensors '" + prev.name() + "' and '" + next.name() + "' whose bytes overlap");
            }
        }
    }

    private static SafeTensorsException error(Path file, String what) {
        return new SafeTensorsException(file + " " + what + "; the file is damaged or not a safetensors file.");
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** True when the file holds a tensor of that name. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The header entry of a tensor. */
    public SafeTensorInfo info(String name) {
        SafeTensorInfo info = entries.get(name);
        if (info == null) {
            throw new SafeTensorsException(file + " has no tensor named '" + name + "'; check that the model files match its config.json.");
        }
        return info;
    }

    /** The {@code __metadata__} strings of the header (empty when there are none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Copies a tensor out as fp32 values in row-major order. */
    public float[] floats(String name) {
        SafeTensorInfo info = info(name);
        long count = info.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' has " + count
                    + " values, more than one Java array can hold.");
        }
        int n = (int) count;
        float[] out = new float[n];
        MemorySegment bytes = data.asSlice(info.begin(), info.end() - info.begin());
        switch (info.dtype()) {
            case F32 -> MemorySegment.copy(bytes, F32_LE, 0, out, 0, n);
            case F16 -> {
                short[] half = new short[n];
                MemorySegment.copy(bytes, I16_LE, 0, half, 0, n);
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(half[i]);
            }
            case BF16 -> {
                short[] half = new short[n];
                MemorySegment.copy(bytes, I16_LE, 0, half, 0, n);
                // bf16 is the top half of an fp32: shift the 16 bits back into place
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((half[i] & 0xFFFF) << 16);
            }
            default -> throw new SafeTensorsException(file + ": tensor '" + name + "' is " + info.dtype()
                    + "; only F32, F16 and BF16 tensors can be read as floats.");
        }
        return out;
    }

    /**
     * Copies a tensor out as fp32 after checking its shape, so a model loader fails loudly at load
     * (naming the tensor) instead of computing garbage.
     */
    public float[] floats(String name, int... expectedShape) {
        SafeTensorInfo info = info(name);
        checkShape(info, expectedShape);
        return floats(name);
    }

    /**
     * The raw 16-bit patterns of a BF16 tensor after checking its shape, for engines that keep bf16 weights as stored
     * (half the bytes of fp32 to read per token).
     */
    public short[] bf16Bits(String name, int... expectedShape) {
        SafeTensorInfo info = info(name);
        if (info.dtype() != DType.BF16) {
            throw new SafeTensorsException(file + ": tensor '" + name + "' is " + info.dtype() + ", not BF16.");
        }
        checkShape(info, expectedShape);
        int n = Math.toIntExact(info.elementCount());
        short[] out = new short[n];
        MemorySegment.copy(data.asSlice(info.begin(), info.end() - info.begin()), I16_LE, 0, out, 0, n);
        return out;
    }

    /** Fails loudly at load, naming the tensor, instead of computing garbage later. */
    private void checkShape(SafeTensorInfo info, int[] expectedShape) {
        if (!Arrays.equals(info.shape(), Arrays.stream(expectedShape).asLongStream().toArray())) {
            throw new SafeTensorsException(file + ": tensor '" + info.name() + "' has shape " + Arrays.toString(info.shape())
                    + " but the model's config.json implies " + Arrays.toString(expectedShape) + ".");
        }
    }

    /** A tensor as a {@link Tensor} (fp32). */
    public Tensor tensor(String name) {
        return new Tensor(floats(name), info(name).intShape());
    }

    /** Unmaps the file; tensors already copied out stay valid. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SafeTensors[" + file + ", " + entries.size() + " tensors]";
    }
}
