package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safetensors reader on the real model files in ../shared/models (expected values read independently with
 * numpy from the raw bytes) and on small hand-crafted files, valid and corrupt.
 */
class SafeTensorsTest {

    static final Path MODELS = Path.of("..", "shared", "models");

    @TempDir
    Path tmp;

    static Path model(String name) {
        Path p = MODELS.resolve(name).resolve("model.safetensors");
        assertTrue(Files.isRegularFile(p), "missing " + p.toAbsolutePath() + ": the tests need ../shared/models next to the project root");
        return p;
    }

    @Test
    void readsNewsGptF32() {
        try (SafeTensors st = SafeTensors.open(model("newsgpt-mini"))) {
            assertEquals(76, st.names().size());
            assertEquals("pt", st.metadata().get("format"));
            float[] wte = st.floats("transformer.wte.weight", 4096, 192);
            assertEquals(0.05707889050245285f, wte[0]);
            assertEquals(-0.051305659115314484f, wte[1]);
            assertEquals(-0.030217265710234642f, wte[wte.length - 1]);
            assertEquals(-252.3927693909639, sum(wte), 1e-3);
            Tensor cAttn = st.tensor("transformer.h.0.attn.c_attn.weight");
            assertArrayEquals(new int[] {192, 576}, cAttn.shape());
            assertEquals(5.035886168168159, sum(cAttn.data()), 1e-4);
        }
    }

    @Test
    void readsSst2MiniLmF16() {
        try (SafeTensors st = SafeTensors.open(model("sst2-minilm"))) {
            assertEquals(SafeTensorInfo.DType.F16, st.info("classifier.weight").dtype());
            float[] gamma = st.floats("bert.embeddings.LayerNorm.weight", 384);
            assertEquals(0.5966796875f, gamma[0]);
            assertEquals(0.65673828125f, gamma[383]);
            assertEquals(236.7662353515625, sum(gamma), 1e-6);
            assertEquals(-0.5686267018318176, sum(st.floats("classifier.weight", 2, 384)), 1e-6);
        }
    }

    @Test
    void readsT5Mini() {
        try (SafeTensors st = SafeTensors.open(model("t5-mini"))) {
            float[] shared = st.floats("shared.weight", 4096, 192);
            assertEquals(-0.2865452170372009f, shared[0]);
            assertEquals(-840.0009833962697, sum(shared), 1e-2);
        }
    }

    @Test
    void widensF16AndBf16Exactly() throws IOException {
        // F16 bit patterns: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal); BF16: 1.0, -0.5, 3.140625
        ByteBuffer data = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001);
        data.putShort((short) 0x3F80).putShort((short) 0xBF00).putShort((short) 0x4049);
        Path f = write("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]}}", data.array());
        try (SafeTensors st = SafeTensors.open(f)) {
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, st.floats("h"));
            assertArrayEquals(new float[] {1f, -0.5f, 3.140625f}, st.floats("b"));
        }
    }

    @Test
    void rejectsFileShorterThanTheLengthField() throws IOException {
        Path f = tmp.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertError(f, "too short to hold the 8-byte header length");
    }

    @Test
    void rejectsHeaderLongerThanTheFile() throws IOException {
        Path f = tmp.resolve("long.safetensors");
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000).putInt(0);
        Files.write(f, b.array());
        assertError(f, "declares a header of 1000000 bytes but the file has only 4 bytes");
    }

    @Test
    void rejectsHugeHeaderLengthWithTheTopBitSet() throws IOException {
        Path f = tmp.resolve("neg.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertError(f, "declares a header of 18446744073709551615 bytes");
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws IOException {
        assertError(write("{\"a\": [1, 2", new byte[0]), "is not valid JSON");
    }

    @Test
    void rejectsOffsetsOutsideTheDataSection() throws IOException {
        assertError(write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]),
                "places tensor 'w' at bytes [0, 16) outside the data section of 8 bytes");
    }

    @Test
    void rejectsShapeThatDoesNotMatchTheByteLength() throws IOException {
        assertError(write("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "gives tensor 'w' shape [3] of F32 (3 values) but 8 bytes of data");
    }

    @Test
    void rejectsShapeWhoseProductOverflows() throws IOException {
        assertError(write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8]),
                "too large to address");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        assertError(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "whose bytes overlap");
    }

    @Test
    void rejectsUnknownDtype() throws IOException {
        assertError(write("{\"w\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]),
                "the unknown dtype 'F8'");
    }

    @Test
    void namesAMissingTensorAndAWrongShape() throws IOException {
        Path f = write("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        try (SafeTensors st = SafeTensors.open(f)) {
            assertTrue(assertThrows(SafeTensorsException.class, () -> st.floats("x")).getMessage().contains("no tensor named 'x'"));
            assertTrue(assertThrows(SafeTensorsException.class, () -> st.floats("w", 3)).getMessage()
                    .contains("has shape [2] but the model's config.json implies [3]"));
        }
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        out.writeBytes(data);
        Path f = Files.createTempFile(tmp, "t", ".safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }

    private static void assertError(Path f, String expected) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(f).close());
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("the file is damaged or not a safetensors file."), e.getMessage());
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s;
    }
}
