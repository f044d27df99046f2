package dev.streamformer.tensor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads real ONNX files (shapes and counts as a protobuf dump of the same files shows them), and refuses broken ones. */
class OnnxModelFileTest {

    private static Path minilm() throws IOException {
        Path target = Path.of("target/test-models/all-minilm-l6-v2/all-minilm-l6-v2.onnx");
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = OnnxModelFileTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                assertTrue(in != null, "all-minilm-l6-v2.onnx is not on the test classpath (LangChain4j jar in ~/.m2)");
                Path tmp = Files.createTempFile(target.getParent(), "part", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    @Test
    void readsGraphAndInitializersOfMiniLm() throws IOException {
        OnnxModelFile f = OnnxModelFile.read(minilm());
        assertEquals(637, f.nodes().size());
        assertEquals(102, f.initializers().size());
        assertEquals(java.util.List.of("input_ids", "attention_mask", "token_type_ids"), f.inputs());
        assertEquals(java.util.List.of("last_hidden_state"), f.outputs());
        OnnxTensor word = f.constant("embeddings.word_embeddings.weight");
        assertArrayEquals(new int[] {30522, 384}, word.dims());
        assertEquals(OnnxTensor.DataType.FLOAT, word.dataType());
        OnnxModelFile.Node q = f.node("/encoder/layer.0/attention/self/query/MatMul");
        assertEquals("MatMul", q.opType());
        assertArrayEquals(new int[] {384, 384}, f.constant(q.input(1)).dims());
        // the head count sits in a Constant node feeding the key Reshape: [batch, seq, 12, 32]
        OnnxModelFile.Node concat = f.producer(f.node("/encoder/layer.0/attention/self/Reshape").input(1));
        assertEquals(12L, (long) f.constant(concat.input(2)).scalar());
        assertEquals(32L, (long) f.constant(concat.input(3)).scalar());
        assertArrayEquals(new long[] {0, 1, 2, 3}, java.util.Arrays.copyOf(f.constant("embeddings.position_ids").toLongs(), 4));
    }

    @Test
    void seesFp16WeightsThroughCastNodes() throws IOException {
        Path sst2 = Path.of("../shared/models/sst2-minilm/model.onnx");
        assertTrue(Files.exists(sst2), "missing " + sst2.toAbsolutePath() + ": the tests need ../shared");
        OnnxModelFile f = OnnxModelFile.read(sst2);
        OnnxTensor bias = f.constant("embeddings.LayerNorm.bias"); // a Cast output; the initializer is ...bias.fp16
        assertEquals("embeddings.LayerNorm.bias.fp16", bias.name());
        assertEquals(OnnxTensor.DataType.FLOAT16, bias.dataType());
        assertEquals(384, bias.toFloats().length);
        assertThrows(OnnxFormatException.class, () -> f.constant("last_hidden_state"));
    }

    @Test
    void refusesTruncatedAndCorruptFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] head = new byte[4096];
        try (InputStream in = Files.newInputStream(minilm())) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, head);
        assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(truncated));

        // graph field (7, length-delimited) claiming 2^40 bytes in a 10-byte file
        Path lying = dir.resolve("lying.onnx");
        Files.write(lying, new byte[] {0x3a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20, 0, 0, 0});
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModelFile.read(lying));
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
    }
}
