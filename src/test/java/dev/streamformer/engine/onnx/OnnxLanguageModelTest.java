package dev.streamformer.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.task.generate.FinishReason;
import dev.streamformer.task.generate.Generation;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OnnxLanguageModel} on the test exports of tiny-llama3, tiny-qwen2 and tiny-qwen3 against
 * ../shared/reference/ref_tiny-decoders_greedy.jsonl (a numpy port of the Hugging Face modeling code): greedy ids through
 * {@link Generator} one prompt at a time and all 13 prompts of a model in one batch, and first-step logits.
 */
class OnnxLanguageModelTest {

    static final List<String> MODELS = TinyDecoderExports.MODELS;
    static final Map<String, OnnxLanguageModel> LOADED = new HashMap<>();

    static synchronized OnnxLanguageModel model(String name) {
        return LOADED.computeIfAbsent(name, n -> OnnxLanguageModel.load(TinyDecoderExports.folder(n), 1, OnnxEngine.Device.CPU));
    }

    @AfterAll
    static void close() {
        LOADED.values().forEach(OnnxLanguageModel::close);
    }

    static void assertGreedy(List<JsonNode> rows, List<Generation> got, String how) {
        assertEquals(rows.size(), got.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String what = row.get("model").asText() + " " + how + " row " + i + " (" + row.get("kind").asText() + ")";
            assertArrayEquals(Reference.ints(row.get("greedy_ids")), got.get(i).tokens(), what);
            assertEquals(FinishReason.LENGTH, got.get(i).finishReason(), what);
        }
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void greedyOnePromptAtATimeGivesTheReferenceIds(String name) {
        List<JsonNode> rows = TinyDecoderExports.rows(name);
        Generator generator = new Generator(model(name), null);
        List<Generation> got = rows.stream()
                .map(r -> generator.generate(List.of(Reference.ints(r.get("prompt_ids"))), GenerationConfig.greedy(16), null).getFirst())
                .toList();
        assertGreedy(rows, got, "single");
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void greedyWithAllPromptsInOneBatchGivesTheReferenceIds(String name) {
        // 13 prompts of 7 to 40 tokens: every decoding step is one ORT run over sequences of different cached lengths
        List<JsonNode> rows = TinyDecoderExports.rows(name);
        List<int[]> prompts = rows.stream().map(r -> Reference.ints(r.get("prompt_ids"))).toList();
        assertGreedy(rows, new Generator(model(name), null).generate(prompts, GenerationConfig.greedy(16), null), "batched");
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void firstStepLogitsMatchTheReference(String name) {
        OnnxLanguageModel model = model(name);
        float worst = 0;
        for (JsonNode row : TinyDecoderExports.rows(name)) {
            int[] prompt = Reference.ints(row.get("prompt_ids"));
            DecoderState state = model.newState(1, prompt.length + 1);
            float[] logits = new float[model.vocabSize()];
            feed(state, 0, state.start(0, prompt), 0, prompt.length, logits);
            worst = Math.max(worst, OnnxAsserts.assertTop10(row.get("first_step_top10"), logits, 1e-4f, name));
        }
        System.out.printf("%s OnnxLanguageModel: first-step top-10 logits max |diff| %.2e%n", name, worst);
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void aPromptFedInTwoChunksGivesTheSameFirstStep(String name) {
        // the second chunk runs several new tokens over a non-empty cache: causal mask and positions past the cache
        OnnxLanguageModel model = model(name);
        JsonNode row = TinyDecoderExports.rows(name).get(1);
        int[] prompt = Reference.ints(row.get("prompt_ids"));
        DecoderState state = model.newState(1, prompt.length);
        float[] logits = new float[model.vocabSize()];
        int half = prompt.length / 2;
        feed(state, 0, prompt, 0, half, null);
        feed(state, 0, prompt, half, prompt.length, logits);
        OnnxAsserts.assertTop10(row.get("first_step_top10"), logits, 1e-4f, name + " in two chunks");
    }

    @Test
    void aRowAtAnEarlierPositionRewritesTheCacheFromThere() {
        // feed the prompt with a wrong last token, then the right one at the same position: the wrong one must be forgotten
        JsonNode row = TinyDecoderExports.rows("tiny-qwen3").get(2);
        int[] prompt = Reference.ints(row.get("prompt_ids")), expected = Reference.ints(row.get("greedy_ids"));
        int[] wrong = prompt.clone();
        wrong[prompt.length - 1] = prompt[0];
        OnnxLanguageModel model = model("tiny-qwen3");
        DecoderState state = model.newState(1, prompt.length + expected.length);
        float[] logits = new float[model.vocabSize()];
        feed(state, 0, state.start(0, wrong), 0, prompt.length, logits);
        feed(state, 0, prompt, prompt.length - 1, prompt.length, logits);
        OnnxAsserts.assertTop10(row.get("first_step_top10"), logits, 1e-4f, "tiny-qwen3 after a rewrite");
        // greedy from there reads the rewritten cache at every step
        int[] got = new int[expected.length];
        for (int i = 0; i < got.length; i++) {
            got[i] = OnnxAsserts.argmax(logits);
            feed(state, 0, new int[] {got[i]}, 0, 1, logits, prompt.length + i);
        }
        assertArrayEquals(expected, got, "greedy ids after a rewrite");
    }

    @Test
    void reportsTheEndOfSequenceIdsOfGenerationConfig() {
        assertArrayEquals(new int[] {128001, 128008, 128009}, model("tiny-llama3").eosIds());
        assertTrue(java.util.Arrays.stream(model("tiny-llama3").eosIds()).anyMatch(id -> id == 128009), "<|eot_id|> ends a Llama 3 turn");
        assertArrayEquals(new int[] {151645, 151643}, model("tiny-qwen2").eosIds());
        assertEquals(151936, model("tiny-qwen3").vocabSize());
        assertEquals("qwen3", model("tiny-qwen3").architecture());
    }

    @Test
    void refusesAnEncoderWithoutAKvCache(@TempDir Path dir) throws IOException {
        Files.copy(TinyDecoderExports.folder("tiny-qwen2").resolve("config.json"), dir.resolve("config.json"));
        Files.copy(Reference.model("sst2-minilm").resolve("model.onnx"), dir.resolve("model.onnx"));
        var e = assertThrows(ModelLoadException.class, () -> OnnxLanguageModel.load(dir, 1, OnnxEngine.Device.CPU));
        assertTrue(e.getMessage().contains("has no tensor input 'past_key_values.0.key'")
                && e.getMessage().contains("text-generation-with-past"), e.getMessage());
    }

    @Test
    void refusesAConfigThatDisagreesWithTheGraph(@TempDir Path dir) throws IOException {
        Path folder = TinyDecoderExports.folder("tiny-qwen2");
        String config = Files.readString(folder.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"num_key_value_heads\": 1", "\"num_key_value_heads\": 2"));
        Files.createSymbolicLink(dir.resolve("model.onnx"), folder.resolve("model.onnx").toAbsolutePath());
        var e = assertThrows(ModelLoadException.class, () -> OnnxLanguageModel.load(dir, 1, OnnxEngine.Device.CPU));
        assertTrue(e.getMessage().contains("implies [batch, 2, length, 8]"), e.getMessage());
    }

    @Test
    void refusesAFolderWithoutAnOnnxFile(@TempDir Path dir) throws IOException {
        Files.copy(Reference.model("tiny-qwen2").resolve("config.json"), dir.resolve("config.json"));
        var e = assertThrows(ModelLoadException.class, () -> OnnxLanguageModel.load(dir, 1, OnnxEngine.Device.CPU));
        assertTrue(e.getMessage().contains("has neither model.onnx nor onnx/model.onnx"), e.getMessage());
    }

    /** Feeds {@code tokens[from, to)} of one slot at positions {@code from ..} in one forward; logits of the last when asked. */
    static void feed(DecoderState state, int slot, int[] tokens, int from, int to, float[] logits) {
        feed(state, slot, tokens, from, to, logits, from);
    }

    /** As above, the first token at position {@code at}. */
    static void feed(DecoderState state, int slot, int[] tokens, int from, int to, float[] logits, int at) {
        int n = to - from;
        assertTrue(n <= state.maxRows(), "the test prompt must fit one forward");
        int[] slots = new int[n], positions = new int[n], ids = new int[n];
        for (int r = 0; r < n; r++) {
            slots[r] = slot;
            positions[r] = at + r;
            ids[r] = tokens[from + r];
        }
        state.forward(n, slots, positions, ids, new int[] {n - 1}, logits == null ? 0 : 1, logits);
    }
}
