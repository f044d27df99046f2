package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.java.decoder.HuggingFaceDecoder;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.decoder.Llama2cCheckpoint;
import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.engine.java.decoder.T5Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched generation against Hugging Face transformers' greedy outputs (../shared/reference), and the sampling,
 * stopping and streaming rules. Prompts go in batches of 8 of different lengths, one forward per step.
 */
class GeneratorTest {

    static Generator gpt;
    static Generator t5;

    @BeforeAll
    static void load() {
        gpt = new Generator(HuggingFaceDecoder.load(Reference.model("newsgpt-mini")),
                DjlTokenizer.forModel(Reference.model("newsgpt-mini"))::decode);
        t5 = new Generator(T5Model.load(Reference.model("t5-mini")), DjlTokenizer.forModel(Reference.model("t5-mini"))::decode);
    }

    static List<Generation> inBatches(Generator g, List<int[]> prompts, GenerationConfig config, int batch) {
        List<Generation> out = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += batch) {
            out.addAll(g.generate(prompts.subList(from, Math.min(prompts.size(), from + batch)), config, null));
        }
        return out;
    }

    static List<int[]> ids(List<JsonNode> rows, String field) {
        return rows.stream().map(r -> Reference.ints(r.get(field))).toList();
    }

    @Test
    void batchedGreedyIsTokenIdenticalToTransformersForNewsGpt() {
        List<JsonNode> rows = Reference.rows("ref_newsgpt-mini_greedy.jsonl");
        rows.addAll(Reference.rows("ref_newsgpt-mini_open_prompts.jsonl"));
        List<Generation> got = inBatches(gpt, ids(rows, "prompt_ids"), GenerationConfig.greedy(32).withStopAtEos(false), 8);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            assertArrayEquals(Reference.ints(row.get("greedy_ids")), got.get(i).tokens(), row.get("prompt").asText());
            assertEquals(row.get("greedy_text").asText(), got.get(i).text(), row.get("prompt").asText());
            assertEquals(FinishReason.LENGTH, got.get(i).finishReason());
            assertEquals(row.get("prompt_ids").size(), got.get(i).promptTokens());
        }
    }

    @Test
    void stopsAtEosLikeTextUntilEosWithAllPromptsInOneBatch() {
        // 75 sequences in flight: more than one forward's rows, so each step is split into chunks
        List<JsonNode> rows = Reference.rows("ref_newsgpt-mini_open_prompts.jsonl");
        rows.addAll(Reference.rows("ref_newsgpt-mini_greedy.jsonl"));
        List<Generation> got = gpt.generate(ids(rows, "prompt_ids"), GenerationConfig.greedy(32), null);
        int stopped = 0;
        for (int i = 0; i < rows.size(); i++) {
            int[] greedy = Reference.ints(rows.get(i).get("greedy_ids"));
            int eosAt = Arrays.stream(greedy).boxed().toList().indexOf(0);
            Generation g = got.get(i);
            assertEquals(rows.get(i).get("text_until_eos").asText(), g.text());
            assertArrayEquals(eosAt < 0 ? greedy : Arrays.copyOf(greedy, eosAt + 1), g.tokens());
            assertEquals(eosAt < 0 ? FinishReason.LENGTH : FinishReason.STOP, g.finishReason());
            if (eosAt >= 0) stopped++;
        }
        assertTrue(stopped > 5, "the open prompts should exercise EOS, " + stopped + " did");
    }

    @Test
    void batchedGreedyIsTokenIdenticalToTransformersForT5() {
        List<JsonNode> rows = Reference.rows("ref_t5-mini_greedy.jsonl");
        List<Generation> got = inBatches(t5, ids(rows, "input_ids"), GenerationConfig.greedy(24), 8);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            int[] expected = Reference.ints(row.get("greedy_ids"));
            assertArrayEquals(expected, got.get(i).tokens(), row.get("input").asText());
            assertEquals(row.get("greedy_text").asText(), got.get(i).text(), row.get("input").asText());
            assertEquals(expected[expected.length - 1] == 1 ? FinishReason.STOP : FinishReason.LENGTH, got.get(i).finishReason());
        }
    }

    @Test
    void stopStringCutsTheTextBeforeIt() {
        JsonNode row = Reference.rows("ref_newsgpt-mini_open_prompts.jsonl").getFirst();
        String full = row.get("greedy_text").asText();
        String stop = ", the first";
        assertTrue(full.contains(stop));
        List<String> streamed = new ArrayList<>();
        Generation g = gpt.generate(List.of(Reference.ints(row.get("prompt_ids"))),
                GenerationConfig.greedy(32).withStopStrings(List.of(stop, "never appears")), (i, piece) -> streamed.add(piece)).getFirst();
        assertEquals(full.substring(0, full.indexOf(stop)), g.text());
        assertEquals(FinishReason.STOP, g.finishReason());
        assertEquals(g.text(), String.join("", streamed), "the stream must never show part of the stop string");
    }

    @Test
    void sameSeedSameTextDifferentSeedDifferentText() {
        int[] prompt = Reference.ints(Reference.rows("ref_newsgpt-mini_open_prompts.jsonl").get(3).get("prompt_ids"));
        GenerationConfig sampling = GenerationConfig.greedy(24).withStopAtEos(false).withSampling(1.0f, 50, 0.95f);
        int[] a = gpt.generate(List.of(prompt), sampling.withSeed(7), null).getFirst().tokens();
        int[] b = gpt.generate(List.of(prompt), sampling.withSeed(7), null).getFirst().tokens();
        int[] c = gpt.generate(List.of(prompt), sampling.withSeed(8), null).getFirst().tokens();
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        // the seed belongs to the prompt, not the batch: the same prompt next to another one samples the same tokens
        int[] other = Reference.ints(Reference.rows("ref_newsgpt-mini_greedy.jsonl").getFirst().get("prompt_ids"));
        assertArrayEquals(a, gpt.generate(List.of(other, prompt), sampling.withSeed(7), null).get(1).tokens());
    }

    @Test
    void samplingRestrictedToOneTokenIsGreedy() {
        JsonNode row = Reference.rows("ref_newsgpt-mini_greedy.jsonl").get(5);
        int[] prompt = Reference.ints(row.get("prompt_ids"));
        int[] greedy = Reference.ints(row.get("greedy_ids"));
        GenerationConfig base = GenerationConfig.greedy(32).withStopAtEos(false).withSeed(1);
        assertArrayEquals(greedy, gpt.generate(List.of(prompt), base.withSampling(1.5f, 1, 1f), null).getFirst().tokens());
        assertArrayEquals(greedy, gpt.generate(List.of(prompt), base.withSampling(0.7f, 0, 1e-6f), null).getFirst().tokens());
    }

    @Test
    void repetitionPenaltyChangesAGreedyLoop() {
        // "... the first time, the first time, ..." loops; a strong penalty must break the loop
        JsonNode row = Reference.rows("ref_newsgpt-mini_greedy.jsonl").getFirst();
        int[] prompt = Reference.ints(row.get("prompt_ids"));
        Generation g = gpt.generate(List.of(prompt), GenerationConfig.greedy(32).withStopAtEos(false).withRepetitionPenalty(3f), null).getFirst();
        assertNotEquals(row.get("greedy_text").asText(), g.text());
        long distinct = Arrays.stream(g.tokens()).distinct().count();
        long distinctGreedy = Arrays.stream(Reference.ints(row.get("greedy_ids"))).distinct().count();
        assertTrue(distinct > distinctGreedy, distinct + " distinct tokens with the penalty, " + distinctGreedy + " without");
    }

    @Test
    void timeBudgetCutsWithLength() {
        List<int[]> prompts = ids(Reference.rows("ref_newsgpt-mini_open_prompts.jsonl").subList(0, 3), "prompt_ids");
        for (Generation g : gpt.generate(prompts, GenerationConfig.greedy(32).withTimeBudget(Duration.ofNanos(1)), null)) {
            assertEquals(FinishReason.LENGTH, g.finishReason());
            assertEquals(1, g.generatedTokens());
        }
    }

    @Test
    void stopsAtTheModelsLastPosition() {
        LanguageModel model = gpt.model();
        int[] prompt = new int[250];
        Arrays.fill(prompt, 258);
        Generation g = gpt.generate(List.of(prompt), GenerationConfig.greedy(32).withStopAtEos(false), null).getFirst();
        assertEquals(model.maxPositions() - 250, g.generatedTokens());
        assertEquals(FinishReason.LENGTH, g.finishReason());
        var e = assertThrows(IllegalArgumentException.class,
                () -> gpt.generate(List.of(new int[256]), GenerationConfig.greedy(4), null));
        assertTrue(e.getMessage().contains("the model attends to at most 256 positions"), e.getMessage());
    }

    @Test
    void generatesIdsWithoutATokenizerForStories260K() {
        Generator g = new Generator(Llama2cCheckpoint.load(Reference.model("stories260K").resolve("stories260K.bin")), null);
        int[] expected = {461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435, 299, 362, 409, 283, 264, 283, 452, 288, 13, 431, 431};
        Generation out = g.generate(List.of(new int[] {1}), GenerationConfig.greedy(expected.length), null).getFirst();
        assertArrayEquals(expected, out.tokens());
        assertThrows(IllegalArgumentException.class,
                () -> g.generate(List.of(new int[] {1}), GenerationConfig.greedy(4).withStopStrings(List.of(".")), null));
    }
}
