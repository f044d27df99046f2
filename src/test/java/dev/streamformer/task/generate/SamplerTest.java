package dev.streamformer.task.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The logits processors on hand-made distributions, with expected values worked out by hand. */
class SamplerTest {

    static GenerationConfig greedy() {
        return GenerationConfig.greedy(1);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() {
        // logits [2, 1.5, -1, 0.5]; tokens 0 and 2 seen (0 twice): [1, 1.5, -2, 0.5] → argmax 1
        Sampler s = new Sampler(greedy().withRepetitionPenalty(2f), 4);
        float[] logits = {2f, 1.5f, -1f, 0.5f};
        assertEquals(1, s.next(logits, 0, new int[] {0, 2, 0}, 3, new SplittableRandom(0)));
        // with penalty 1.2: 2/1.2 = 1.667 > 1.5 → token 0 still wins (applied once, not twice: 2/1.44 = 1.39 would lose)
        Sampler mild = new Sampler(greedy().withRepetitionPenalty(1.2f), 4);
        assertEquals(0, mild.next(logits, 0, new int[] {0, 2, 0}, 3, new SplittableRandom(0)));
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        Sampler s = new Sampler(greedy(), 4);
        assertEquals(1, s.next(new float[] {9f, 0f, 3f, 3f, 1f}, 1, new int[0], 0, new SplittableRandom(0)));
    }

    @Test
    void temperatureSamplesFromTheScaledSoftmax() {
        // logits [0, ln 3]: p = [1/4, 3/4]; at temperature 2: p ∝ [1, √3] = [0.366, 0.634]
        float[] logits = {0f, (float) Math.log(3)};
        assertEquals(0.75, frequencyOf(1, logits, greedy().withSampling(1f, 0, 1f)), 0.01);
        assertEquals(Math.sqrt(3) / (1 + Math.sqrt(3)), frequencyOf(1, logits, greedy().withSampling(2f, 0, 1f)), 0.01);
    }

    @Test
    void topKAndTopPKeepOnlyTheLikeliestTokens() {
        // p = [0.5, 0.3, 0.2]
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        assertEquals(0.0, frequencyOf(2, logits, greedy().withSampling(1f, 2, 1f)));
        assertEquals(0.5 / 0.8, frequencyOf(0, logits, greedy().withSampling(1f, 2, 1f)), 0.01);
        // top-p 0.6: 0.5 < 0.6, 0.5 + 0.3 ≥ 0.6 → keep {0, 1}
        assertEquals(0.0, frequencyOf(2, logits, greedy().withSampling(1f, 0, 0.6f)));
        assertEquals(0.3 / 0.8, frequencyOf(1, logits, greedy().withSampling(1f, 0, 0.6f)), 0.01);
        // top-p 0.4: the first token alone reaches it
        assertEquals(1.0, frequencyOf(0, logits, greedy().withSampling(1f, 0, 0.4f)));
    }

    private static double frequencyOf(int token, float[] logits, GenerationConfig config) {
        Sampler s = new Sampler(config, logits.length);
        SplittableRandom random = new SplittableRandom(42);
        int hits = 0, draws = 40_000;
        for (int i = 0; i < draws; i++) if (s.next(logits, 0, new int[0], 0, random) == token) hits++;
        return hits / (double) draws;
    }
}
