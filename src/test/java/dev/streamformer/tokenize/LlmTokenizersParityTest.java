package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real LLM and multilingual tokenizers in ../shared against Hugging Face tokenizers (Rust, through DJL), on every
 * text of ../shared/data (the multilingual torture text included): ids, type ids, special-token masks and offsets
 * with and without special tokens, pairs on a sample, and decoding of HF's ids with and without skipping special
 * tokens. Prints how long each file takes to load.
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

    private static void checkParity(String name, Path file) {
        List<String> texts = SharedData.allTexts();
        assertTrue(texts.size() >= EXPECTED_TEXTS, () -> "only " + texts.size() + " corpus texts, expected "
                + EXPECTED_TEXTS + ": is ../shared/data complete?");
        long t0 = System.nanoTime();
        Tokenizer ours = Tokenizer.fromFile(file);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;

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
            withSpecials.encodeAll(ref, ours, texts, true);
            withoutSpecials.encodeAll(ref, ours, texts, false);
            pairs.encodePairs(ref, ours, firsts, seconds);
            decodes.decodeAll(ref, ours, texts, true);
            rawDecodes.decodeAll(ref, ours, texts, false);
        }
        List<ParityCheck> checks = List.of(withSpecials, withoutSpecials, pairs, decodes, rawDecodes);
        StringBuilder report = new StringBuilder(String.format("%s: loaded in %.2f s, compared in %.1f s%n", name,
                loadSeconds, (System.nanoTime() - t0) / 1e9));
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
