package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.LanguageModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stories260K (llama2.c checkpoint) against the numbers in ../shared/models/stories260K/SOURCE.md, which come from
 * an independent numpy port of run.c (fp32, rmsnorm eps 1e-5); and its Hugging Face conversion stories260K-hf (q/k rows
 * permuted for rotate_half RoPE) giving the same numbers through the Hugging Face loader.
 */
class Llama2cCheckpointTest {

    static final Path CHECKPOINT = Reference.model("stories260K").resolve("stories260K.bin");
    static DecoderOnlyTransformer model;

    @BeforeAll
    static void load() {
        model = Llama2cCheckpoint.load(CHECKPOINT);
    }

    @Test
    void readsTheHeader() {
        assertEquals(64, model.config().hidden());
        assertEquals(172, model.config().intermediate());
        assertEquals(5, model.config().layers());
        assertEquals(8, model.config().heads());
        assertEquals(4, model.config().kvHeads());
        assertEquals(512, model.vocabSize());
        assertEquals(512, model.maxPositions());
    }

    @Test
    void bosLogitsMatchTheSourceNumbers() {
        float[] logits = DecoderAsserts.firstLogits(model, new int[] {1});
        int[] ids = {461, 306, 295, 341, 453};
        float[] values = {9.4893f, 9.3812f, 8.5742f, 8.3084f, 7.6210f};
        for (int i = 0; i < ids.length; i++) assertEquals(values[i], logits[ids[i]], 1e-3f, "logit of id " + ids[i]);
        assertEquals(461, DecoderAsserts.argmax(logits));
    }

    @Test
    void greedyFromBosMatchesTheSourceIds() {
        int[] expected = {461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435, 299, 362, 409, 283, 264, 283, 452, 288, 13, 431, 431};
        assertArrayEquals(expected, DecoderAsserts.greedy(model, new int[] {1}, expected.length));
    }

    @Test
    void aPromptFedInOneForwardContinuesLikeTheSourceIds() {
        // the first 12 ids of the greedy story as one prefill: RoPE and the causal mask across rows
        int[] prompt = {1, 461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435};
        assertArrayEquals(new int[] {299, 362, 409, 283, 264}, DecoderAsserts.greedy(model, prompt, 5));
    }

    @Test
    void theHuggingFaceConversionGivesTheSameLogitsAndIds() {
        LanguageModel hf = LanguageModels.load(Reference.model("stories260K-hf"));
        int[] prompt = {1, 461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435};
        float worst = DecoderAsserts.assertClose(DecoderAsserts.firstLogits(model, prompt),
                DecoderAsserts.firstLogits(hf, prompt), 1e-4f, "stories260K-hf vs stories260K.bin");
        System.out.printf("stories260K-hf vs .bin: max |diff| of 512 logits %.2e%n", worst);
        int[] expected = {461, 461, 401, 401, 401, 461, 378, 455, 473, 456, 435, 299, 362, 409, 283, 264, 283, 452, 288, 13, 431, 431};
        assertArrayEquals(expected, DecoderAsserts.greedy(hf, new int[] {1}, expected.length));
    }

    @Test
    void rejectsATruncatedCheckpoint() throws IOException {
        Path cut = Files.createTempFile("stories", ".bin");
        try {
            byte[] all = Files.readAllBytes(CHECKPOINT);
            Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4));
            var e = assertThrows(IllegalArgumentException.class, () -> Llama2cCheckpoint.load(cut));
            assertTrue(e.getMessage().contains("the file is truncated"), e.getMessage());
        } finally {
            Files.delete(cut);
        }
    }
}
