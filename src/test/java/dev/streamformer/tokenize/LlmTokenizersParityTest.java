package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real LLM and multilingual tokenizers in ../shared against Hugging Face tokenizers (Rust, through DJL), on the
 * texts of ../shared/data (the multilingual torture text included; every 4th by default, all 117,747 with
 * {@code -Dparity.full=true}): ids, type ids, special-token masks and offsets
 * with and without special tokens, pairs on a sample, and decoding of HF's ids with and without skipping special
 * tokens. Prints how long each file takes to load (wall clock and the loading thread's CPU time: the machine may be
 * shared).
 */
class LlmTokenizersParityTest {

    /** The corpus has 117,747 texts; fewer means a data file went missing or was cut. */
    private static final int EXPECTED_TEXTS = 117_747;

    @Test
    void llama3() {
        checkParity("Llama 3", SharedData.requireShared("models/tiny-llama3/tokenizer.json"));
    }

    @Test
    void qwen3() {
        checkParity("Qwen3", SharedData.requireShared("models/tiny-qwen3/tokenizer.json"));
    }

    @Test
    void gemma3() {
        checkParity("Gemma 3", SharedData.requireShared("tokenizers/gemma3/tokenizer.json"));
    }

    @Test
    void llama2() {
        checkParity("Llama 2 SentencePiece BPE", SharedData.requireShared("tokenizers/llama2/tokenizer.json"));
    }

    @Test
    void xlmRoberta() {
        checkParity("XLM-R Unigram", SharedData.requireShared("models/tiny-xlmr/tokenizer.json"));
    }

    @Test
    void t5() {
        checkParity("T5 Unigram", SharedData.requireShared("models/t5-mini/tokenizer.json"));
    }

    /**
     * Added tokens written in the text (chat markers, XLM-R's {@code <mask>} that swallows the spaces before it,
     * Gemma's {@code <unusedN>}, runs of newlines and {@code ▁}) in every tokenizer, with and without special tokens.
     */
    @Test
    void addedTokensWrittenInTheTextMatchHuggingFace() {
        List<String> markers = List.of("<mask>", "<s>", "</s>", "<pad>", "<|begin_of_text|>", "<|eot_id|>", "<|im_start|>",
                "<think>", "<start_of_turn>", "<unused7>", "<h1>", "\n\n", "\u2581\u2581", "\t");
        List<String> texts = new ArrayList<>();
        for (String m : markers) {
            texts.addAll(List.of("Paris is the" + m + "of France.", "Paris is the  " + m + "  of France.", m + "start",
                    "end \t " + m, m + m, " " + m + " ", m));
        }
        List<String> failures = new ArrayList<>();
        for (String file : List.of("models/tiny-llama3/tokenizer.json", "models/tiny-qwen3/tokenizer.json",
                "tokenizers/gemma3/tokenizer.json", "tokenizers/llama2/tokenizer.json",
                "models/tiny-xlmr/tokenizer.json", "models/t5-mini/tokenizer.json")) {
            Path path = SharedData.requireShared(file);
            Tokenizer ours = Tokenizer.fromFile(path);
            try (HuggingFaceTokenizer ref = ParityCheck.reference(path, ParityCheck.options(0))) {
                ParityCheck with = new ParityCheck(file + ", special tokens added");
                ParityCheck without = new ParityCheck(file + ", no special tokens");
                ParityCheck decodes = new ParityCheck(file + ", decode keeping special tokens");
                long[][] ids = with.encodeAll(ref, ours, texts, true);
                without.encodeAll(ref, ours, texts, false);
                decodes.decodeAll(ref, ours, texts, ids, false);
                for (ParityCheck c : List.of(with, without, decodes)) {
                    System.out.println(c.summary());
                    assertEquals(texts.size(), c.compared, c.label);
                    if (!c.allIdentical()) {
                        failures.add(c.summary() + "\n  " + String.join("\n  ", c.mismatches));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    /**
     * Runs of one letter give Unigram many segmentations with the same score in exact arithmetic: which one wins
     * depends on the last bit of the scores, so XLM-R's scores must be read as HF reads them ({@link SerdeJsonFloats}).
     */
    @Test
    void unigramTiesAreDecidedAsInHuggingFace() {
        List<String> texts = new ArrayList<>();
        for (int n = 1; n <= 200; n++) {
            texts.add("a".repeat(n));
            texts.add("x " + "e".repeat(n) + " " + "s".repeat(n / 2 + 1));
        }
        for (String file : List.of("models/tiny-xlmr/tokenizer.json", "models/t5-mini/tokenizer.json")) {
            Path path = SharedData.requireShared(file);
            ParityCheck check = new ParityCheck(file + ", letter runs");
            try (HuggingFaceTokenizer ref = ParityCheck.reference(path, ParityCheck.options(0))) {
                check.encodeAll(ref, Tokenizer.fromFile(path), texts, true);
            }
            System.out.println(check.summary());
            assertEquals(texts.size(), check.compared, check.label);
            assertTrue(check.allIdentical(), () -> check.summary() + "\n  " + String.join("\n  ", check.mismatches));
        }
    }

    private static void checkParity(String name, Path file) {
        List<String> all = SharedData.allTexts();
        assertTrue(all.size() >= EXPECTED_TEXTS, () -> "only " + all.size() + " corpus texts, expected "
                + EXPECTED_TEXTS + ": is ../shared/data complete?");
        // every text with -Dparity.full=true (about 6 minutes on 2 cores); by default every 4th, as the other parity tests
        List<String> texts = Boolean.getBoolean("parity.full") ? all : WordPieceParityTest.everyNth(all, 4);
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Tokenizer ours = Tokenizer.fromFile(file);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        double loadCpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;

        List<String> firsts = WordPieceParityTest.everyNth(texts, 50);
        List<String> seconds = new ArrayList<>(firsts.subList(1, firsts.size()));
        seconds.add(firsts.getFirst());
        ParityCheck withSpecials = new ParityCheck(name + ", special tokens added");
        ParityCheck withoutSpecials = new ParityCheck(name + ", no special tokens");
        ParityCheck pairs = new ParityCheck(name + ", pairs");
        ParityCheck decodes = new ParityCheck(name + ", decode skipping special tokens");
        ParityCheck rawDecodes = new ParityCheck(name + ", decode keeping special tokens");
        t0 = System.nanoTime();
        try (HuggingFaceTokenizer ref = ParityCheck.reference(file, ParityCheck.options(0))) {
            long[][] ids = withSpecials.encodeAll(ref, ours, texts, true);
            withoutSpecials.encodeAll(ref, ours, texts, false);
            pairs.encodePairs(ref, ours, firsts, seconds);
            decodes.decodeAll(ref, ours, texts, ids, true);
            rawDecodes.decodeAll(ref, ours, texts, ids, false);
        }
        List<ParityCheck> checks = List.of(withSpecials, withoutSpecials, pairs, decodes, rawDecodes);
        StringBuilder report = new StringBuilder(String.format("%s: loaded in %.2f s (%.2f s CPU), compared in %.1f s%n",
                name, loadSeconds, loadCpuSeconds, (System.nanoTime() - t0) / 1e9));
        checks.forEach(c -> report.append("  ").append(c.summary()).append('\n'));
        System.out.print(report);
        for (ParityCheck c : List.of(withSpecials, withoutSpecials, decodes, rawDecodes)) {
            assertEquals(texts.size(), c.compared, () -> c.label + ": not every text was compared");
        }
        assertEquals(firsts.size(), pairs.compared, "pairs compared");
        for (ParityCheck c : checks) {
            assertTrue(c.allIdentical(), () -> c.summary() + "\n  " + String.join("\n  ", c.mismatches));
        }
    }
}
