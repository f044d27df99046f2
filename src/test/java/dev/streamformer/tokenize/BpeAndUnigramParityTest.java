package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-level BPE (newsgpt-mini) and Unigram (t5-mini) against Hugging Face tokenizers (DJL) on the shared corpus, and
 * against the token ids HF transformers recorded in ../shared/reference. Full corpus with {@code -Dparity.full=true},
 * otherwise every 4th text.
 */
class BpeAndUnigramParityTest {

    private static final boolean FULL = Boolean.getBoolean("parity.full");

    private static List<String> texts() {
        List<String> all = SharedData.allTexts();
        return FULL ? all : WordPieceParityTest.everyNth(all, 4);
    }

    @Test
    void byteLevelBpeMatchesHuggingFaceAndRoundTrips() {
        Path file = SharedData.requireShared("models/newsgpt-mini/tokenizer.json");
        Tokenizer ours = Tokenizer.fromFile(file);
        List<String> texts = texts();
        checkParity("newsgpt-mini", file, ours, texts);

        int roundTrips = 0;
        List<String> broken = new ArrayList<>();
        for (String text : texts) {
            String back = ours.decode(ours.encode(text).ids());
            if (back.equals(text)) {
                roundTrips++;
            } else if (broken.size() < 5) {
                broken.add(text + " -> " + back);
            }
        }
        System.out.printf("newsgpt-mini: decode(encode(x)) == x for %,d/%,d texts%n", roundTrips, texts.size());
        assertEquals(texts.size(), roundTrips, () -> "byte-level BPE is lossless, but: " + broken);
    }

    @Test
    void unigramMatchesHuggingFace() {
        Path file = SharedData.requireShared("models/t5-mini/tokenizer.json");
        checkParity("t5-mini", file, Tokenizer.fromFile(file), texts());
    }

    @Test
    void idsMatchTheReferenceRecordedByHuggingFaceTransformers() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Tokenizer gpt = Tokenizer.fromFile(SharedData.requireShared("models/newsgpt-mini/tokenizer.json"));
        int n = 0;
        for (String file : List.of("reference/ref_newsgpt-mini_greedy.jsonl", "reference/ref_newsgpt-mini_open_prompts.jsonl")) {
            for (String line : SharedData.linesOnNewline(SharedData.requireShared(file))) {
                JsonNode row = json.readTree(line);
                assertEquals(row.path("prompt_ids").toString(), Arrays.toString(gpt.encode(row.path("prompt").asText()).ids())
                        .replace(" ", ""), row.path("prompt").asText());
                n++;
            }
        }
        Tokenizer t5 = Tokenizer.fromFile(SharedData.requireShared("models/t5-mini/tokenizer.json"));
        for (String line : SharedData.linesOnNewline(SharedData.requireShared("reference/ref_t5-mini_greedy.jsonl"))) {
            JsonNode row = json.readTree(line);
            assertEquals(row.path("input_ids").toString(), Arrays.toString(t5.encode(row.path("input").asText()).ids())
                    .replace(" ", ""), row.path("input").asText());
            n++;
        }
        System.out.println("reference prompt/input ids identical for " + n + " rows");
    }

    private static void checkParity(String name, Path file, Tokenizer ours, List<String> texts) {
        long t0 = System.nanoTime();
        ParityCheck check = new ParityCheck(name);
        ParityCheck decodes = new ParityCheck(name + " decode");
        try (HuggingFaceTokenizer ref = ParityCheck.reference(file, ParityCheck.options(0))) {
            check.encodeAll(ref, ours, texts);
            decodes.decodeAll(ref, ours, WordPieceParityTest.everyNth(texts, 10));
        }
        // pairs and truncation (longest first at 64 tokens) on a sample
        ParityCheck truncated = new ParityCheck(name + " truncated to 64, singles and pairs");
        try (HuggingFaceTokenizer ref = ParityCheck.reference(file, ParityCheck.options(64))) {
            List<String> firsts = WordPieceParityTest.everyNth(texts, 12);
            List<String> seconds = new ArrayList<>(firsts.subList(1, firsts.size()));
            seconds.add(firsts.getFirst());
            truncated.encodeAll(ref, ours.withMaxLength(64), firsts);
            truncated.encodePairs(ref, ours.withMaxLength(64), firsts, seconds);
        }
        System.out.printf("%s%n%s%n%s (%.1f s)%n", check.summary(), decodes.summary(), truncated.summary(),
                (System.nanoTime() - t0) / 1e9);
        for (ParityCheck c : List.of(check, decodes, truncated)) {
            assertTrue(c.allIdentical(), () -> c.summary() + "\n  " + String.join("\n  ", c.mismatches));
        }
    }
}
