package dev.streamformer.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.streamformer.engine.java.decoder.HfToGguf;
import dev.streamformer.tensor.GgmlType;
import dev.streamformer.tensor.GgufFile;
import dev.streamformer.tensor.GgufWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokenizer a GGUF file carries ({@code tokenizer.ggml.*}, written from the model's tokenizer.json as llama.cpp's
 * converter writes it) against Hugging Face tokenizers (Rust, through DJL) on that tokenizer.json: the same ids on
 * every 10th text of ../shared/data and on texts with special tokens written in them, with and without special tokens
 * added; the same text decoded.
 */
class GgufTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen3"})
    void givesTheIdsOfTheHuggingFaceTokenizer(String model, @TempDir Path dir) throws IOException {
        Path folder = SharedData.requireShared("models/" + model);
        Path file = HfToGguf.convert(folder, dir.resolve(model + ".gguf"), GgmlType.Q8_0).file();
        Tokenizer ours;
        try (GgufFile g = GgufFile.open(file)) {
            ours = Tokenizer.fromGguf(g.metadata(), file);
        }
        assertSameIds(model, ours, folder.resolve("tokenizer.json"));
    }

    /**
     * Llama 2's 32,000-id SentencePiece BPE as GGUF keeps it: pieces, scores and token types, no merges. SentencePiece
     * BPE scores rank pieces by when training made them; here a piece's score is minus the rank of the tokenizer.json
     * merge that first makes it (the real tokenizer.model is not in ../shared). From those scores the merges derived as
     * transformers' converter derives them are tokenizer.json's, all 58,980 in order, and the ids are Hugging Face's.
     */
    @Test
    void readsASentencePieceVocabularyFromItsScores(@TempDir Path dir) throws IOException {
        Path json = SharedData.requireShared("tokenizers/llama2/tokenizer.json");
        JsonNode tok = new ObjectMapper().readTree(json.toFile());
        JsonNode vocab = tok.get("model").get("vocab");
        String[] pieces = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> pieces[e.getValue().asInt()] = e.getKey());
        Map<String, Integer> firstMade = new HashMap<>();
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : tok.get("model").get("merges")) {
            String[] pair = m.asText().split(" ", 2);
            merges.add(pair);
            firstMade.putIfAbsent(pair[0] + pair[1], merges.size() - 1);
        }
        List<String> tokens = List.of(pieces);
        List<Float> scores = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (String p : pieces) {
            scores.add(firstMade.containsKey(p) ? -(float) firstMade.get(p) : 0f);
            types.add(p.equals("<unk>") ? 2 : p.equals("<s>") || p.equals("</s>") ? 3 : p.matches("<0x[0-9A-F]{2}>") ? 6 : 1);
        }
        List<String[]> derived = GgufVocabulary.mergesFromScores(tokens, scores);
        assertEquals(merges.size(), derived.size());
        for (int i = 0; i < merges.size(); i++) assertArrayEquals(merges.get(i), derived.get(i), "merge " + i);

        Path file = dir.resolve("llama2-vocab.gguf");
        new GgufWriter().put("tokenizer.ggml.model", "llama").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.scores", scores).put("tokenizer.ggml.token_type", types)
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.eos_token_id", 2)
                .put("tokenizer.ggml.unknown_token_id", 0).put("tokenizer.ggml.add_bos_token", true).write(file);
        Tokenizer ours;
        try (GgufFile g = GgufFile.open(file)) {
            ours = Tokenizer.fromGguf(g.metadata(), file);
        }
        assertSameIds("llama2", ours, json);
    }

    /** Every 10th text of ../shared/data and texts with special tokens written in them, both ways, and decoding. */
    private static void assertSameIds(String model, Tokenizer ours, Path tokenizerJson) {
        List<String> all = SharedData.allTexts();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 10) texts.add(all.get(i));
        for (String m : List.of("<|begin_of_text|>", "<|eot_id|>", "<|im_start|>", "<think>", "<tool_call>", "<s>", "</s>", "\n\n")) {
            texts.add("Paris is the" + m + "of France.");
            texts.add(m + "user\nHi " + m + m);
        }
        int compared = 0, differ = 0;
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceTokenizer ref = ParityCheck.reference(tokenizerJson, ParityCheck.options(0))) {
            for (String text : texts) {
                for (boolean special : new boolean[] {true, false}) {
                    long[] expected = ref.encode(text, special, false).getIds();
                    long[] actual = Arrays.stream(ours.encode(text, special).ids()).asLongStream().toArray();
                    compared++;
                    if (!Arrays.equals(expected, actual)) differ++;
                    if (!Arrays.equals(expected, actual) && mismatches.size() < 5) {
                        mismatches.add((special ? "with" : "without") + " special tokens, '" + text + "': " + Arrays.toString(expected)
                                + " vs " + Arrays.toString(actual));
                    }
                    if (special) {
                        String decoded = ours.decode(ours.encode(text, true).ids(), true);
                        String reference = ref.decode(expected, true);
                        if (!reference.equals(decoded)) differ++;
                        if (!reference.equals(decoded) && mismatches.size() < 5) mismatches.add("decode '" + text + "': '" + decoded + "'");
                    }
                }
            }
        }
        System.out.printf("%s tokenizer from GGUF: %d encodings compared with Hugging Face's, %d differ%n", model, compared, differ);
        assertEquals(2 * texts.size(), compared);
        assertTrue(differ == 0, () -> String.join("\n", mismatches));
    }
}
