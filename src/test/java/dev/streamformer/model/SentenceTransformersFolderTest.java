package dev.streamformer.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a sentence-transformers folder's files, and how they meet a streamformer.yaml. */
class SentenceTransformersFolderTest {

    static final Path TINY_XLMR = ModelRegistryTest.SHARED.resolve("tiny-xlmr");

    @Test
    void readsTinyXlmrsOwnFiles() {
        assertTrue(Files.isDirectory(TINY_XLMR), "needs ../shared/models/tiny-xlmr");
        SentenceTransformersFolder st = SentenceTransformersFolder.read(TINY_XLMR);
        assertEquals(Pooling.MEAN, st.pooling());
        assertTrue(st.normalize());
        assertEquals(512, st.maxSeqLength());
        assertEquals(Map.of(), st.prompts());
        assertNull(st.defaultPromptName());

        ResolvedModel m = ModelRegistry.standard().resolve(TINY_XLMR.toString());
        assertEquals(Pooling.MEAN, m.descriptor().poolingMode());
        assertTrue(m.descriptor().normalizeOrDefault());
        assertEquals(512, m.maxLength());
        assertEquals("embed", m.task());
        assertEquals("", m.prefixFor(null));
    }

    @Test
    void aFolderWithoutModulesJsonIsNoSentenceTransformersFolder(@TempDir Path dir) {
        assertNull(SentenceTransformersFolder.read(dir));
    }

    @Test
    void everyPoolingModeBySentenceTransformersName(@TempDir Path dir) throws IOException {
        Map<String, Pooling> modes = Map.of("pooling_mode_cls_token", Pooling.CLS, "pooling_mode_max_tokens", Pooling.MAX,
                "pooling_mode_mean_sqrt_len_tokens", Pooling.MEAN_SQRT_LEN, "pooling_mode_lasttoken", Pooling.LAST,
                "pooling_mode_weightedmean_tokens", Pooling.WEIGHTED_MEAN);
        for (var mode : modes.entrySet()) {
            writeFolder(dir, "{\"pooling_mode_mean_tokens\": false, \"" + mode.getKey() + "\": true}", false);
            SentenceTransformersFolder st = SentenceTransformersFolder.read(dir);
            assertEquals(mode.getValue(), st.pooling(), mode.getKey());
            assertFalse(st.normalize());
        }
        writeFolder(dir, "{\"word_embedding_dimension\": 64}", true);      // sentence-transformers' default: mean
        assertEquals(Pooling.MEAN, SentenceTransformersFolder.read(dir).pooling());
    }

    @Test
    void promptsAndTheDefaultPrompt(@TempDir Path dir) throws IOException {
        writeFolder(dir, "{\"pooling_mode_mean_tokens\": true}", true);
        Files.writeString(dir.resolve("config_sentence_transformers.json"), """
                {"__version__": {"sentence_transformers": "3.0.1"},
                 "prompts": {"query": "query: ", "passage": "passage: ", "clustering": "Identify the topic: "},
                 "default_prompt_name": "query", "similarity_fn_name": "cosine"}""");
        ResolvedModel m = ModelRegistry.resolveDirectory("x", dir, null);
        assertEquals("query: ", m.prefixFor(null));                 // the default prompt
        assertEquals("passage: ", m.prefixFor("passage"));
        assertEquals("Identify the topic: ", m.prefixFor("clustering"));
        assertEquals("", m.prefixFor(""));                          // explicitly none
        assertEquals("Summarize: ", m.prefixFor("Summarize: "));    // not a prompt name: the text itself
    }

    /** streamformer.yaml wins key by key; the sentence-transformers files fill the rest. */
    @Test
    void streamformerYamlWinsKeyByKey(@TempDir Path dir) throws IOException {
        writeFolder(dir, "{\"pooling_mode_mean_tokens\": true}", true);
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": null}");
        Files.writeString(dir.resolve("streamformer.yaml"), "pooling: cls\nqueryPrefix: 'question: '\n");
        ResolvedModel m = ModelRegistry.resolveDirectory("x", dir, null);
        assertEquals(Pooling.CLS, m.descriptor().poolingMode());    // yaml
        assertTrue(m.descriptor().normalizeOrDefault());            // 2_Normalize
        assertEquals(128, m.maxLength());                           // sentence_bert_config.json
        assertEquals("question: ", m.prefixFor("query"));           // yaml
        assertEquals("passage: ", m.prefixFor("passage"));          // config_sentence_transformers.json
        assertEquals("", m.prefixFor(null));

        Files.writeString(dir.resolve("streamformer.yaml"), "normalize: false\nmaxLength: 9999\n");
        m = ModelRegistry.resolveDirectory("x", dir, null);
        assertEquals(Pooling.MEAN, m.descriptor().poolingMode());
        assertFalse(m.descriptor().normalizeOrDefault());
        assertEquals(512, m.maxLength());                            // never past the position table
    }

    /** Hub repositories keep their ONNX export in onnx/ (with quantized variants beside it): onnx/model.onnx is the one. */
    @Test
    void findsTheHubsOnnxSubfolder(@TempDir Path dir) throws IOException {
        writeFolder(dir, "{}", true);
        Files.delete(dir.resolve("model.onnx"));
        Files.createDirectories(dir.resolve("onnx"));
        Files.writeString(dir.resolve("onnx/model.onnx"), "x");
        Files.writeString(dir.resolve("onnx/model_qint8_avx512.onnx"), "x");
        assertEquals(dir.resolve("onnx/model.onnx"), ModelRegistry.resolveDirectory("x", dir, null).onnx());
    }

    @Test
    void refusesWhatItWouldComputeDifferently(@TempDir Path dir) throws IOException {
        writeFolder(dir, "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": true}", true);
        var e = assertThrows(ModelLoadException.class, () -> SentenceTransformersFolder.read(dir));
        assertTrue(e.getMessage().contains("pooling_mode_cls_token and pooling_mode_mean_tokens"), e.getMessage());

        writeFolder(dir, "{\"pooling_mode_mean_tokens\": true, \"include_prompt\": false}", true);
        e = assertThrows(ModelLoadException.class, () -> SentenceTransformersFolder.read(dir));
        assertTrue(e.getMessage().contains("include_prompt"), e.getMessage());

        writeFolder(dir, "{\"pooling_mode_mean_tokens\": true}", true);
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]""");
        e = assertThrows(ModelLoadException.class, () -> SentenceTransformersFolder.read(dir));
        assertTrue(e.getMessage().contains("sentence_transformers.models.Dense"), e.getMessage());

        Files.writeString(dir.resolve("modules.json"), "[]");
        Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"prompts\": {}, \"default_prompt_name\": \"query\"}");
        e = assertThrows(ModelLoadException.class, () -> SentenceTransformersFolder.read(dir));
        assertTrue(e.getMessage().contains("default_prompt_name 'query'"), e.getMessage());
    }

    /** A sentence-transformers folder in {@code dir}: tiny-xlmr's config and tokenizer, this pooling config, Normalize or not. */
    static void writeFolder(Path dir, String poolingConfig, boolean normalize) throws IOException {
        for (String f : new String[] {"config.json", "tokenizer.json"}) {
            if (!Files.exists(dir.resolve(f))) Files.copy(TINY_XLMR.resolve(f), dir.resolve(f));
        }
        if (!Files.exists(dir.resolve("model.onnx"))) Files.writeString(dir.resolve("model.onnx"), "not read here");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), poolingConfig);
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}"""
                + (normalize ? ",\n {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}" : "")
                + "]");
    }
}
