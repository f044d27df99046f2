package dev.streamformer.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRegistryTest {

    static final Path SHARED = Path.of("..", "shared", "models");

    @Test
    void builtInIdsResolveFromTheMavenArtifactIntoTheCache(@TempDir Path cache) throws IOException {
        // The pom declares the model jars as test dependencies, so Maven has put them in ~/.m2.
        ResolvedModel m = new ModelRegistry(cache).resolve("all-minilm-l6-v2");
        assertTrue(Files.size(m.onnx()) > 80_000_000L);
        assertTrue(Files.isRegularFile(m.tokenizer()));
        assertEquals(cache.resolve("models/all-minilm-l6-v2"), m.dir());
        assertEquals(Pooling.MEAN, m.descriptor().poolingMode());
        assertEquals(256, m.maxLength());
        assertEquals("embed", m.task());
    }

    @Test
    void everyBuiltInHasAReadableDescriptor() {
        for (String id : ModelRegistry.BUILT_IN) {
            ModelDescriptor d = ModelRegistry.builtInDescriptor(id);
            assertEquals(id, d.id());
            assertNotNull(d.maven(), id);
            assertNotNull(d.onnx(), id);
        }
        assertEquals(Pooling.CLS, ModelRegistry.builtInDescriptor("bge-small-en-v15").poolingMode());
        assertEquals("query: ", ModelRegistry.builtInDescriptor("e5-small-v2").queryPrefix());
    }

    @Test
    void aHuggingFaceDirectoryResolvesByPath() {
        Path dir = SHARED.resolve("sst2-minilm");
        assertTrue(Files.isDirectory(dir), "needs ../shared/models/sst2-minilm");
        ResolvedModel m = ModelRegistry.standard().resolve(dir.toString());
        assertEquals("classify", m.task());
        assertEquals("model.onnx", m.onnx().getFileName().toString());
        assertEquals("model.safetensors", m.safetensors().getFileName().toString());
        assertEquals(java.util.List.of("negative", "positive"), m.config().labels(2));
    }

    @Test
    void anXlmRobertaDirectoryCoversTheTokensItsPositionsLeaveAfterPaddingIdx() {
        Path dir = SHARED.resolve("tiny-xlmr");
        assertTrue(Files.isDirectory(dir), "needs ../shared/models/tiny-xlmr");
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        assertTrue(config.isRobertaFamily());
        assertEquals(514, config.maxPositionEmbeddings());
        assertEquals(512, config.maxSequenceLength());   // positions 2..513: padding_idx 1 + 1 + count
    }

    @Test
    void unknownModelSaysWhatToPass() {
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.standard().resolve("no-such-model"));
        assertTrue(e.getMessage().contains("all-minilm-l6-v2"), e.getMessage());
    }

    @Test
    void directoryWithoutTokenizerNamesTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.onnx"), "x");
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.standard().resolve(dir.toString()));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    @Test
    void directoryWithoutWeightsSaysHowToGetThem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.standard().resolve(dir.toString()));
        assertTrue(e.getMessage().contains("No *.onnx or *.safetensors"), e.getMessage());
    }

    @Test
    void unknownDescriptorKeyIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("model.onnx"), "x");
        Files.writeString(dir.resolve("streamformer.yaml"), "pooling: mean\npoolng: cls\n");
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.standard().resolve(dir.toString()));
        assertTrue(e.getMessage().contains("'poolng'"), e.getMessage());
    }
}
