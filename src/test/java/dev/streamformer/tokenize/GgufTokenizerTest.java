package dev.streamformer.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.streamformer.engine.java.decoder.HfToGguf;
import dev.streamformer.tensor.GgmlType;
import dev.streamformer.tensor.GgufFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        List<String> all = SharedData.allTexts();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 10) texts.add(all.get(i));
        for (String m : List.of("<|begin_of_text|>", "<|eot_id|>", "<|im_start|>", "<think>", "<tool_call>", "\n\n")) {
            texts.add("Paris is the" + m + "of France.");
            texts.add(m + "user\nHi " + m + m);
        }
        int compared = 0, differ = 0;
        List<String> mismatches = new ArrayList<>();
        try (HuggingFaceTokenizer ref = ParityCheck.reference(folder.resolve("tokenizer.json"), ParityCheck.options(0))) {
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
