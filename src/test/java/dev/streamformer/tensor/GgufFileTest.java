package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GGUF reader on files written by {@link GgufWriter}: every metadata type, alignment, each tensor type, refusals. */
class GgufFileTest {

    @Test
    void readsEveryMetadataValueType(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.gguf");
        new GgufWriter()
                .put("u8", new GgufWriter.Typed(0, 200)).put("i8", new GgufWriter.Typed(1, -5))
                .put("u16", new GgufWriter.Typed(2, 60000)).put("i16", new GgufWriter.Typed(3, -300))
                .put("u32", (int) 4_000_000_000L)
                .put("i32", new GgufWriter.Typed(5, -70000)).put("f32", 0.1f).put("bool", true).put("str", "héllo ✓")
                .put("u64", 1L << 40).put("i64", new GgufWriter.Typed(11, -(1L << 40))).put("f64", 0.1)
                .put("strings", List.of("a", "", "ü")).put("ints", List.of(1, 2, 3)).put("floats", List.of(1.5f, -2f))
                .put("empty", List.of())
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            var m = g.metadata();
            assertEquals(200L, m.get("u8"));
            assertEquals(-5L, m.get("i8"));
            assertEquals(60000L, m.get("u16"));
            assertEquals(-300L, m.get("i16"));
            assertEquals(4_000_000_000L, m.get("u32"));   // unsigned, not -294967296
            assertEquals(-70000L, m.get("i32"));
            assertEquals(0.1f, m.get("f32"));
            assertEquals(true, m.get("bool"));
            assertEquals("héllo ✓", m.get("str"));
            assertEquals(1L << 40, m.get("u64"));
            assertEquals(-(1L << 40), m.get("i64"));
            assertEquals(0.1, m.get("f64"));
            assertEquals(List.of("a", "", "ü"), m.get("strings"));
            assertEquals(List.of(1L, 2L, 3L), m.get("ints"));
            assertEquals(List.of(1.5f, -2f), m.get("floats"));
            assertEquals(List.of(), m.get("empty"));
            assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str", "u64", "i64", "f64",
                    "strings", "ints", "floats", "empty"), List.copyOf(m.keySet()), "file order");
            assertEquals(3, g.version());
        }
    }

    @Test
    void readsEachTensorTypeAtTheFilesAlignment(@TempDir Path dir) throws IOException {
        Random random = new Random(7);
        float[] w = new float[3 * 64];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        float[] small = {1, 2, 3};   // 12 bytes: the next tensor must be padded to the alignment
        for (int alignment : new int[] {32, 64, 256}) {
            Path file = dir.resolve("t" + alignment + ".gguf");
            GgufWriter writer = new GgufWriter();
            if (alignment != 32) writer.put("general.alignment", alignment);
            writer.add("small", small, 1, 3, GgmlType.F32);
            writer.add("f32", w, 3, 64, GgmlType.F32);
            writer.add("f16", w, 3, 64, GgmlType.F16);
            writer.add("q8", w, 3, 64, GgmlType.Q8_0);
            writer.add("q4", w, 3, 64, GgmlType.Q4_0);
            writer.write(file);
            try (GgufFile g = GgufFile.open(file)) {
                assertArrayEquals(small, g.floats("small", 3));
                assertArrayEquals(w, g.floats("f32", 3, 64), "F32 exact");
                float[] f16 = g.floats("f16", 3, 64);
                for (int i = 0; i < w.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(w[i])), f16[i]);
                assertEquals(3, g.info("q8").rows());
                assertEquals(64, g.info("q8").cols());
                assertEquals(GgmlType.Q4_0, g.info("q4").type());
                // Q8_0: the blocks kept as stored give the values the dequantizer gives
                float[] q8 = g.floats("q8");
                Q8Matrix blocks = g.q8("q8");
                for (int r = 0; r < 3; r++) for (int c = 0; c < 64; c++) assertEquals(q8[r * 64 + c], blocks.get(r, c));
                var e = assertThrows(GgufFormatException.class, () -> g.floats("f32", 64, 3));
                assertTrue(e.getMessage().contains("expected [64, 3]"), e.getMessage());
            }
        }
    }

    @Test
    void refusesKQuantsTruncatedFilesAndOtherFormats(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("k.gguf");
        GgufWriter writer = new GgufWriter();
        writer.add("w", new float[64], 1, 64, GgmlType.F32);
        writer.write(file);
        byte[] bytes = Files.readAllBytes(file);
        // retype the tensor as Q4_K (ggml type 12): the info entry's type follows name, n_dims and ne
        int typeAt = indexOf(bytes, "w".getBytes()) + 1 + 4 + 8;
        bytes[typeAt] = 12;
        Files.write(file, Arrays.copyOf(bytes, bytes.length));
        var tooSmall = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close());
        assertTrue(tooSmall.getMessage().contains("does not fit the file"), tooSmall.getMessage());   // 64 Q4_K values are not whole blocks

        Path kQuant = dir.resolve("q4k.gguf");
        GgufWriter w2 = new GgufWriter();
        w2.add("w", new float[256], 1, 256, GgmlType.F32);
        w2.write(kQuant);
        bytes = Files.readAllBytes(kQuant);
        bytes[indexOf(bytes, "w".getBytes()) + 1 + 4 + 8] = 12;
        Files.write(kQuant, bytes);
        try (GgufFile g = GgufFile.open(kQuant)) {
            var e = assertThrows(GgufFormatException.class, () -> g.floats("w"));
            assertTrue(e.getMessage().contains("Q4_K") && e.getMessage().contains("K-quants"), e.getMessage());
        }

        Path truncated = dir.resolve("cut.gguf");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(file), 30));
        var cut = assertThrows(GgufFormatException.class, () -> GgufFile.open(truncated).close());
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());

        Path notGguf = dir.resolve("x.gguf");
        Files.writeString(notGguf, "{\"model_type\": \"llama\"} and some more bytes");
        var other = assertThrows(GgufFormatException.class, () -> GgufFile.open(notGguf).close());
        assertTrue(other.getMessage().contains("is not a GGUF file"), other.getMessage());
    }

    /** Where a tensor name's bytes start, after the 8-byte length that precedes it in the tensor infos. */
    private static int indexOf(byte[] bytes, byte[] name) {
        for (int i = 24; i + 8 + name.length <= bytes.length; i++) {
            if (bytes[i] == name.length && bytes[i + 1] == 0 && bytes[i + 8] == name[0]) return i + 8;
        }
        throw new AssertionError("name not found");
    }
}
