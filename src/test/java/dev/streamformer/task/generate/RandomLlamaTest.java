package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.DecoderConfig;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tensor.SafeTensorsWriter;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random Llama of {@code bench generate --random-llama}, small: its folder loads in our engine with the config it
 * was made with, the same seed writes the same bytes, and Jlama loads the same folder and computes the same model
 * (same prompt ids, same first greedy token on F32 weights). Loading and correctness only; no timing.
 */
class RandomLlamaTest {

    static final Path TOKENIZER = Path.of("..", "shared", "tokenizers", "llama2", "tokenizer.json");
    static final RandomLlama SMALL = new RandomLlama(32_000, 64, 2, 4, 2, 128, true, SafeTensorsWriter.Dtype.F32, 42);
    static final List<String> PROMPTS = List.of("Once upon a time there was a little boy named Ben.",
            "One day, a little boy named Tim went to the park.", "The cat sat on the mat, and it was happy.");

    @TempDir
    Path tmp;

    @Test
    void ourEngineReadsItBackWithTheConfigItWasMadeWith() {
        Path dir = SMALL.withTiedEmbeddings(false).write(tmp.resolve("m"), TOKENIZER);
        DecoderConfig c = DecoderConfig.read(dir);
        assertEquals("llama", c.modelType());
        assertEquals(32_000, c.vocabSize());
        assertEquals(64, c.hidden());
        assertEquals(2, c.layers());
        assertEquals(4, c.heads());
        assertEquals(2, c.kvHeads());
        assertEquals(16, c.headDim());
        assertEquals(128, c.intermediate());
        assertEquals(RandomLlama.MAX_POSITIONS, c.maxPositions());
        assertFalse(c.tiedEmbeddings());
        assertArrayEquals(new int[] {RandomLlama.EOS}, c.eosIds());
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer_config.json")));
        try (SafeTensors st = SafeTensors.open(dir.resolve("model.safetensors"))) {
            assertEquals(SMALL.withTiedEmbeddings(false).parameters(),
                    st.names().stream().mapToLong(n -> st.floats(n).length).sum());
            float[] head = st.floats("lm_head.weight", 32_000, 64);
            for (int j = 0; j < 64; j++) assertEquals(0f, head[RandomLlama.EOS * 64 + j]); // greedy can never end early
        }
        var model = LanguageModels.load(dir, Quantization.Q8_0);
        assertEquals(32_000, model.vocabSize());
    }

    @Test
    void theSameSeedWritesTheSameBytesAndBf16HalvesThem() throws IOException {
        Path a = SMALL.write(tmp.resolve("a"), TOKENIZER), b = SMALL.write(tmp.resolve("b"), TOKENIZER);
        assertEquals(-1, Files.mismatch(a.resolve("model.safetensors"), b.resolve("model.safetensors")));
        assertEquals(-1, Files.mismatch(a.resolve("config.json"), b.resolve("config.json")));
        Path other = SMALL.withSeed(7).write(tmp.resolve("c"), TOKENIZER);
        assertTrue(Files.mismatch(a.resolve("model.safetensors"), other.resolve("model.safetensors")) >= 0);
        Path bf16 = SMALL.withDtype(SafeTensorsWriter.Dtype.BF16).write(tmp.resolve("d"), TOKENIZER);
        long f32Bytes = Files.size(a.resolve("model.safetensors")), bf16Bytes = Files.size(bf16.resolve("model.safetensors"));
        assertEquals(SMALL.parameters() * 2, f32Bytes - bf16Bytes, 512); // the two differ by 2 bytes a value (and the header)
    }

    @Test
    void jlamaLoadsTheSameFolderAndComputesTheSameModel() {
        System.setProperty(JlamaPeer.FORCE_PANAMA, "true"); // the kernels the benchmark runs by default
        Path dir = SMALL.write(tmp.resolve("m"), TOKENIZER);
        Tokenizer tokenizer = Tokenizer.fromFile(dir.resolve("tokenizer.json"));
        Generator ours = new Generator(LanguageModels.load(dir), null);
        try (JlamaPeer jlama = JlamaPeer.load(dir, JlamaPeer.Weights.AS_STORED, 1)) {
            for (String prompt : PROMPTS) {
                int[] ids = tokenizer.encode(prompt).ids();
                assertArrayEquals(ids, jlama.promptIds(prompt), prompt);
                int first = ours.generate(List.of(ids), GenerationConfig.greedy(1).withStopAtEos(false), null).getFirst().tokens()[0];
                assertEquals(first, jlama.firstGreedyToken(ids), prompt);
            }
        }
        // Jlama's Q4 copy: made once next to the folder, then loaded and run
        try (JlamaPeer q4 = JlamaPeer.load(dir, JlamaPeer.Weights.Q4, 1)) {
            assertTrue(Files.isRegularFile(tmp.resolve("m-jlama-q4").resolve("model.safetensors")));
            GenerateBenchmark.Round round = q4.round(PROMPTS.subList(0, 1), 3);
            assertEquals(1, round.prompts());
            assertEquals(3, round.newTokens());
            assertEquals(2, round.decodeSteps());
        }
    }

    @Test
    void refusesSizesJlamaOrQ8CannotRunAndAMissingTokenizer() {
        assertThrows(IllegalArgumentException.class, () -> new RandomLlama(32_000, 64, 2, 4, 2, 172, true, SafeTensorsWriter.Dtype.F32, 42));
        assertThrows(IllegalArgumentException.class, () -> new RandomLlama(32_000, 64, 2, 4, 3, 128, true, SafeTensorsWriter.Dtype.F32, 42));
        var e = assertThrows(IllegalArgumentException.class, () -> SMALL.write(tmp.resolve("m"), tmp.resolve("none.json")));
        assertTrue(e.getMessage().contains("--tokenizer"), e.getMessage());
    }
}
