package dev.streamformer.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Comparisons against the reference's {@code first_step_top10} ({@code {ids: [10], logits: [10]}}). */
final class OnnxAsserts {

    private OnnxAsserts() {}

    /** Each of the ten reference logits within {@code tolerance}, and the reference's top-1 id as the argmax; returns the largest difference. */
    static float assertTop10(JsonNode top10, float[] logits, float tolerance, String what) {
        JsonNode ids = top10.get("ids"), values = top10.get("logits");
        assertEquals(10, ids.size(), what + ": the reference should list 10 ids");
        float worst = 0;
        for (int k = 0; k < ids.size(); k++) {
            int id = ids.get(k).asInt();
            float expected = (float) values.get(k).asDouble();
            assertEquals(expected, logits[id], tolerance, what + ": logit of id " + id);
            worst = Math.max(worst, Math.abs(expected - logits[id]));
        }
        assertEquals(ids.get(0).asInt(), argmax(logits), what + ": top-1 id");
        return worst;
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
