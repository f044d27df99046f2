package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Very long inputs (300 texts of each corpus section joined, a 100,000-letter word, 30,000 runs of spaces) must encode in
 * linear-ish time and still match HF tokenizers (DJL): a stream processor cannot afford a quadratic path. Gemma's and
 * Llama 2's tokenizers have no pre-tokenizer, so their BPE sees each long text as one word.
 */
class LongTextParityTest {

    private static List<String> longTexts() {
        List<String> texts = new ArrayList<>();
        SharedData.corpus().forEach((name, section) ->
                texts.add(String.join(" ", section.subList(0, Math.min(section.size(), 300)))));
        texts.add("a".repeat(100_000));
        texts.add("word  ".repeat(30_000));
        texts.add("é".repeat(20_000) + " " + "😀".repeat(20_000));
        return texts;
    }

    @Test
    void longTextsMatchHuggingFaceQuickly() {
        List<String> texts = longTexts();
        List<String> failures = new ArrayList<>();
        for (String model : List.of("models/sst2-minilm", "models/newsgpt-mini", "models/t5-mini", "models/tiny-llama3",
                "models/tiny-xlmr", "tokenizers/gemma3", "tokenizers/llama2")) {
            var file = SharedData.requireShared(model + "/tokenizer.json");
            Tokenizer ours = Tokenizer.fromFile(file).withMaxLength(0);
            long t0 = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> texts.forEach(ours::encode), model);
            double oursSeconds = (System.nanoTime() - t0) / 1e9;
            ParityCheck check = new ParityCheck(model + " long texts");
            t0 = System.nanoTime();
            try (HuggingFaceTokenizer ref = ParityCheck.reference(file, ParityCheck.options(0))) {
                check.encodeAll(ref, ours, texts);
            }
            System.out.printf("%s (ours alone %.1f s; comparison with HF %.1f s)%n", check.summary(), oursSeconds,
                    (System.nanoTime() - t0) / 1e9);
            if (!check.allIdentical()) {
                failures.add(check.summary() + "\n  " + String.join("\n  ", check.mismatches));
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }
}
