package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** t5-mini against Hugging Face transformers (../shared/reference/ref_t5-mini_greedy.jsonl). */
class T5ModelTest {

    static T5Model model;

    @BeforeAll
    static void load() {
        model = T5Model.load(Reference.model("t5-mini"));
    }

    @Test
    void relativePositionBucketsFollowT5() {
        // bidirectional, 32 buckets, max distance 128: 16 per direction, 8 exact, then log-spaced
        assertEquals(0, RelativePositionBias.bucket(0, true, 32, 128));
        assertEquals(7, RelativePositionBias.bucket(-7, true, 32, 128));
        assertEquals(16 + 7, RelativePositionBias.bucket(7, true, 32, 128));
        assertEquals(8, RelativePositionBias.bucket(-8, true, 32, 128));
        assertEquals(10, RelativePositionBias.bucket(-16, true, 32, 128)); // 8 + floor(log(2)/log(16) * 8)
        assertEquals(15, RelativePositionBias.bucket(-1000, true, 32, 128));
        // causal: keys after the query are bucket 0, 16 exact buckets
        assertEquals(0, RelativePositionBias.bucket(5, false, 32, 128));
        assertEquals(15, RelativePositionBias.bucket(-15, false, 32, 128));
        assertEquals(16, RelativePositionBias.bucket(-16, false, 32, 128));
        assertEquals(31, RelativePositionBias.bucket(-500, false, 32, 128));
    }

    @Test
    void firstStepLogitsMatchTransformers() {
        float worst = 0;
        for (JsonNode row : Reference.rows("ref_t5-mini_greedy.jsonl")) {
            float[] logits = DecoderAsserts.firstLogits(model, Reference.ints(row.get("input_ids")));
            worst = Math.max(worst, DecoderAsserts.assertTop10(row.get("first_top10"), logits, row.get("input").asText()));
        }
        System.out.println("t5-mini first-step top-10 logits: max |diff| vs transformers " + worst);
    }

    @Test
    void greedyOutputsAreTokenIdentical() {
        for (JsonNode row : Reference.rows("ref_t5-mini_greedy.jsonl")) {
            int[] expected = Reference.ints(row.get("greedy_ids"));
            int[] got = DecoderAsserts.greedy(model, Reference.ints(row.get("input_ids")), expected.length);
            assertArrayEquals(expected, got, row.get("input").asText());
        }
    }
}
