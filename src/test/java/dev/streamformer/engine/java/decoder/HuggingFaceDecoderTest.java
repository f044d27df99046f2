package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.task.generate.FinishReason;
import dev.streamformer.task.generate.Generation;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.Generator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Llama-lineage decoders read from Hugging Face folders against ../shared/reference/ref_tiny-decoders_greedy.jsonl,
 * made by an independent numpy port of transformers' modeling code (see ../shared/models/TINY-DECODERS.md):
 * tiny-llama3 (grouped-query attention, llama3 RoPE scaling, three EOS ids), tiny-qwen2 (q/k/v biases, one key/value
 * head, sharded weights), tiny-qwen3 (per-head q/k RMSNorm, head_dim ≠ hidden / heads).
 */
class HuggingFaceDecoderTest {

    private static final Map<String, LanguageModel> MODELS = new ConcurrentHashMap<>();

    static LanguageModel model(String name) {
        return MODELS.computeIfAbsent(name, n -> LanguageModels.load(Reference.model(n)));
    }

    static List<JsonNode> rows(String model) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode row : Reference.rows("ref_tiny-decoders_greedy.jsonl")) {
            if (row.get("model").asText().equals(model)) rows.add(row);
        }
        assertEquals(13, rows.size(), "reference rows for " + model);
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen3"})
    void firstStepTopTenLogitsMatchTheReference(String name) {
        LanguageModel model = model(name);
        float worst = 0;
        for (JsonNode row : rows(name)) {
            float[] logits = DecoderAsserts.firstLogits(model, Reference.ints(row.get("prompt_ids")));
            JsonNode top = row.get("first_step_top10");
            for (int k = 0; k < top.get("ids").size(); k++) {
                int id = top.get("ids").get(k).asInt();
                float expected = (float) top.get("logits").get(k).asDouble();
                assertEquals(expected, logits[id], 1e-4f, name + " '" + row.get("rendered") + "': logit of id " + id);
                worst = Math.max(worst, Math.abs(expected - logits[id]));
            }
            assertEquals(top.get("ids").get(0).asInt(), DecoderAsserts.argmax(logits), name + ": top-1 id");
        }
        System.out.printf("%s: first-step top-10 logits, max |diff| %.2e%n", name, worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen3"})
    void greedyIdsMatchOneAtATimeAndAllInOneBatch(String name) {
        LanguageModel model = model(name);
        List<JsonNode> rows = rows(name);
        Generator generator = new Generator(model, null);
        GenerationConfig greedy = GenerationConfig.greedy(16);
        List<int[]> prompts = new ArrayList<>();
        for (JsonNode row : rows) prompts.add(Reference.ints(row.get("prompt_ids")));

        List<Generation> batched = generator.generate(prompts, greedy, null);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            int[] expected = Reference.ints(row.get("greedy_ids"));
            Generation single = generator.generate(List.of(prompts.get(i)), greedy, null).getFirst();
            String what = name + " row " + i + " (" + row.get("kind").asText() + ")";
            assertArrayEquals(expected, single.tokens(), what + ", alone");
            assertArrayEquals(expected, batched.get(i).tokens(), what + ", in a batch of " + rows.size());
            FinishReason reason = row.get("finish_reason").asText().equals("stop") ? FinishReason.STOP : FinishReason.LENGTH;
            assertEquals(reason, single.finishReason(), what + ": finish reason");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen3"})
    void bf16WeightsKeptAsStoredGiveTheSameLogitsAndIds(String name) {
        LanguageModel bf16 = LanguageModels.load(Reference.model(name), Quantization.BF16);
        Generator generator = new Generator(bf16, null);
        for (JsonNode row : rows(name)) {
            int[] prompt = Reference.ints(row.get("prompt_ids"));
            float[] logits = DecoderAsserts.firstLogits(bf16, prompt);
            JsonNode top = row.get("first_step_top10");
            for (int k = 0; k < top.get("ids").size(); k++) {
                assertEquals(top.get("logits").get(k).asDouble(), logits[top.get("ids").get(k).asInt()], 1e-4, name + ": bf16 logit");
            }
            assertArrayEquals(Reference.ints(row.get("greedy_ids")),
                    generator.generate(List.of(prompt), GenerationConfig.greedy(16), null).getFirst().tokens(), name + ": bf16 greedy");
        }
    }

    @Test
    void readsTheEndOfSequenceIdsOfConfigAndGenerationConfig() {
        assertArrayEquals(new int[] {128001, 128008, 128009}, model("tiny-llama3").eosIds());
        assertArrayEquals(new int[] {151645, 151643}, model("tiny-qwen3").eosIds());
    }

    @Test
    void aMistralFolderRunsWithinItsSlidingWindowAndRefusesLongerSequences(@TempDir Path dir) throws IOException {
        // tiny-llama3's weights under model_type mistral with a window of 24: within 24 positions windowed attention is
        // full attention, so a reference row of 12 + 12 tokens holds; a longer sequence is refused
        Path llama = Reference.model("tiny-llama3");
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(llama.resolve("config.json").toFile());
        config.put("model_type", "mistral").put("sliding_window", 24);
        Files.writeString(dir.resolve("config.json"), config.toString());
        Files.copy(llama.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        LanguageModel mistral = LanguageModels.load(dir);
        JsonNode row = rows("tiny-llama3").getFirst();   // 12 prompt tokens
        int[] prompt = Reference.ints(row.get("prompt_ids"));
        Generation g = new Generator(mistral, null).generate(List.of(prompt), GenerationConfig.greedy(12), null).getFirst();
        assertArrayEquals(java.util.Arrays.copyOf(Reference.ints(row.get("greedy_ids")), 12), g.tokens());
        var e = assertThrows(IllegalArgumentException.class, () -> mistral.newState(1, 25));
        assertTrue(e.getMessage().contains("sliding window of 24"), e.getMessage());
    }
}
