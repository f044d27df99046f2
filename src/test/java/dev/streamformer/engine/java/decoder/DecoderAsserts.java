package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.DecoderState;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain one-sequence greedy loop straight on a {@link DecoderState}, and logit comparisons. */
final class DecoderAsserts {

    private DecoderAsserts() {}

    /** Logits after the whole prompt, fed one row per token in a single forward. */
    static float[] firstLogits(LanguageModel model, int[] prompt) {
        DecoderState state = model.newState(1, Math.min(model.maxPositions(), 256));
        int[] prefix = state.start(0, prompt);
        float[] logits = new float[model.vocabSize()];
        feed(state, 0, prefix, 0, logits);
        return logits;
    }

    /** Greedy argmax decoding for {@code steps} new tokens, no stopping. */
    static int[] greedy(LanguageModel model, int[] prompt, int steps) {
        DecoderState state = model.newState(1, Math.min(model.maxPositions(), 256));
        int[] prefix = state.start(0, prompt);
        float[] logits = new float[model.vocabSize()];
        feed(state, 0, prefix, 0, logits);
        int[] out = new int[steps];
        int pos = prefix.length;
        for (int i = 0; i < steps; i++) {
            out[i] = argmax(logits);
            if (i + 1 < steps) feed(state, 0, new int[] {out[i]}, pos++, logits);
        }
        return out;
    }

    /** Feeds tokens at positions from {@code start} in chunks of maxRows; logits of the last one. */
    static void feed(DecoderState state, int slot, int[] tokens, int start, float[] logits) {
        int max = state.maxRows();
        for (int from = 0; from < tokens.length; from += max) {
            int n = Math.min(max, tokens.length - from);
            int[] slots = new int[n], pos = new int[n], tok = new int[n];
            for (int r = 0; r < n; r++) {
                slots[r] = slot;
                pos[r] = start + from + r;
                tok[r] = tokens[from + r];
            }
            state.forward(n, slots, pos, tok, new int[] {n - 1}, from + n == tokens.length ? 1 : 0, logits);
        }
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** Asserts every |expected - actual| <= tol; returns the largest difference. */
    static float assertClose(float[] expected, float[] actual, float tol, String what) {
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            float e = Math.abs(expected[i] - actual[i]);
            if (e > worst) { worst = e; at = i; }
        }
        final float w = worst;
        final int a = at;
        assertTrue(worst <= tol, () -> what + ": max |diff| " + w + " at id " + a);
        return worst;
    }

    /** The reference's top-10 logits within 1e-3 and its top-1 id; returns the largest difference. */
    static float assertTop10(JsonNode top10, float[] logits, String what) {
        float worst = 0;
        for (int k = 0; k < top10.size(); k++) {
            int id = top10.get(k).get(0).asInt();
            float expected = (float) top10.get(k).get(1).asDouble();
            assertEquals(expected, logits[id], 1e-3f, what + ": logit of id " + id);
            worst = Math.max(worst, Math.abs(expected - logits[id]));
        }
        assertEquals(top10.get(0).get(0).asInt(), argmax(logits), what + ": top-1 id");
        return worst;
    }
}
