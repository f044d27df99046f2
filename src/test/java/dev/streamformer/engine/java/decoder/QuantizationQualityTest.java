package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.Generator;
import dev.streamformer.task.generate.Perplexity;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Q8_0 costs in quality, against the same model in fp32: perplexity on held-out text and agreement of greedy
 * decoding. The bounds are loose on purpose (this checks that quantization is not broken, the numbers are printed
 * for README). stories260K (hidden size 64, so two blocks per row) suffers more than newsgpt-mini (192), as
 * llama.cpp users see on very small models: its bounds are wider.
 */
class QuantizationQualityTest {

    /** UD English-EWT sentences (lines 6–305 of prompts.txt): web text newsgpt-mini never saw. */
    static List<String> heldOutSentences() throws IOException {
        List<String> lines = Files.readAllLines(Reference.SHARED.resolve("data/generation/prompts.txt"));
        assertEquals(305, lines.size(), "../shared/data/generation/prompts.txt");
        return lines.subList(5, lines.size());
    }

    @Test
    void newsgptMiniPerplexityAndGreedyAgreement() throws IOException {
        var dir = Reference.model("newsgpt-mini");
        Tokenizer tokenizer = Tokenizer.fromFile(dir.resolve("tokenizer.json"));
        LanguageModel f32 = LanguageModels.load(dir), q8 = LanguageModels.load(dir, Quantization.Q8_0);
        List<int[]> text = new ArrayList<>();
        for (String s : heldOutSentences()) text.add(tokenizer.encode(s).ids());
        double pF32 = Perplexity.of(f32, text), pQ8 = Perplexity.of(q8, text);

        List<int[]> prompts = new ArrayList<>();
        for (JsonNode row : Reference.rows("ref_newsgpt-mini_open_prompts.jsonl")) prompts.add(Reference.ints(row.get("prompt_ids")));
        double agreement = greedyAgreement(f32, q8, prompts, 32);
        System.out.printf("newsgpt-mini: perplexity on %d held-out sentences fp32 %.3f, q8_0 %.3f (%+.2f %%); greedy tokens identical %.1f %%%n",
                text.size(), pF32, pQ8, 100 * (pQ8 / pF32 - 1), 100 * agreement);
        assertTrue(Math.abs(pQ8 / pF32 - 1) < 0.02, "q8_0 perplexity " + pQ8 + " vs fp32 " + pF32);
        assertTrue(agreement > 0.8, "greedy agreement " + agreement);
    }

    @Test
    void stories260kPerplexityAndGreedyAgreement() {
        // stories260K comes without its tokenizer, so there is no held-out text to tokenize: score 40 stories sampled
        // from the fp32 model itself (temperature 1), which both formats then predict
        LanguageModel f32 = LanguageModels.load(Reference.model("stories260K"));
        LanguageModel q8 = LanguageModels.load(Reference.model("stories260K"), Quantization.Q8_0);
        Generator sampler = new Generator(f32, null);
        List<int[]> stories = new ArrayList<>();
        for (int seed = 0; seed < 40; seed++) {
            GenerationConfig c = GenerationConfig.greedy(128).withSampling(1f, 0, 1f).withSeed(seed).withStopAtEos(false);
            int[] generated = sampler.generate(List.of(new int[] {1}), c, null).getFirst().tokens();
            int[] story = new int[generated.length + 1];
            story[0] = 1;
            System.arraycopy(generated, 0, story, 1, generated.length);
            stories.add(story);
        }
        double pF32 = Perplexity.of(f32, stories), pQ8 = Perplexity.of(q8, stories);
        List<int[]> prompts = new ArrayList<>();
        for (int[] s : stories) prompts.add(java.util.Arrays.copyOf(s, 8));
        double agreement = greedyAgreement(f32, q8, prompts, 32);
        System.out.printf("stories260K: perplexity on 40 sampled stories fp32 %.3f, q8_0 %.3f (%+.2f %%); greedy tokens identical %.1f %%%n",
                pF32, pQ8, 100 * (pQ8 / pF32 - 1), 100 * agreement);
        assertTrue(Math.abs(pQ8 / pF32 - 1) < 0.05, "q8_0 perplexity " + pQ8 + " vs fp32 " + pF32);
        assertTrue(agreement > 0.25, "greedy agreement " + agreement);
    }

    /** Share of positions where both models' greedy continuations hold the same token (up to the first difference). */
    static double greedyAgreement(LanguageModel a, LanguageModel b, List<int[]> prompts, int steps) {
        long same = 0, total = 0;
        for (int[] prompt : prompts) {
            int[] x = DecoderAsserts.greedy(a, prompt, steps), y = DecoderAsserts.greedy(b, prompt, steps);
            int k = 0;
            while (k < steps && x[k] == y[k]) k++;
            same += k;
            total += steps;
        }
        return (double) same / total;
    }
}
