package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** newsgpt-mini against Hugging Face transformers (../shared/reference/ref_newsgpt-mini_*.jsonl). */
class Gpt2ReferenceTest {

    static DecoderOnlyTransformer model;

    @BeforeAll
    static void load() {
        model = HuggingFaceDecoder.load(Reference.model("newsgpt-mini"));
    }

    @Test
    void firstStepLogitsMatchTransformersWithin1e3() {
        int checkedFull = 0;
        float worst = 0;
        for (JsonNode row : Reference.rows("ref_newsgpt-mini_greedy.jsonl")) {
            float[] logits = DecoderAsserts.firstLogits(model, Reference.ints(row.get("prompt_ids")));
            if (row.has("first_logits")) {
                float[] expected = Reference.floats(row.get("first_logits"));
                assertEquals(model.vocabSize(), expected.length);
                worst = Math.max(worst, DecoderAsserts.assertClose(expected, logits, 1e-3f, row.get("prompt").asText()));
                checkedFull++;
            }
            worst = Math.max(worst, DecoderAsserts.assertTop10(row.get("first_top10"), logits, row.get("prompt").asText()));
        }
        System.out.println("newsgpt-mini first-step logits: max |diff| vs transformers " + worst);
        assertEquals(3, checkedFull, "the reference should carry full logits for rows 1-3");
    }

    @Test
    void greedyContinuationsAreTokenIdentical() {
        List<JsonNode> rows = Reference.rows("ref_newsgpt-mini_greedy.jsonl");
        rows.addAll(Reference.rows("ref_newsgpt-mini_open_prompts.jsonl"));
        for (JsonNode row : rows) {
            int[] expected = Reference.ints(row.get("greedy_ids"));
            int[] got = DecoderAsserts.greedy(model, Reference.ints(row.get("prompt_ids")), expected.length);
            assertArrayEquals(expected, got, row.get("prompt").asText());
        }
    }
}
