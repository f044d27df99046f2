package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.Reference;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generation_config.json's sampling defaults apply to the settings a user left unset, as in transformers. */
class GenerationDefaultsTest {

    private static GenerationConfig unset() {
        return new GenerationConfig(16, 0f, 0, 1f, 1f, 0L, List.of(), true, null, EnumSet.allOf(GenerationConfig.Setting.class));
    }

    @Test
    void qwen3SamplesWithItsOwnTemperatureTopKAndTopP() {
        GenerationConfig c = GenerationDefaults.read(Reference.model("tiny-qwen3")).applyTo(unset());
        assertEquals(0.6f, c.temperature());
        assertEquals(20, c.topK());
        assertEquals(0.95f, c.topP());
        assertTrue(c.fromModel().isEmpty());
    }

    @Test
    void whereTheFileIsSilentTransformersDefaultsApply() {
        // tiny-llama3's generation_config.json has do_sample, temperature and top_p but no top_k: transformers uses 50
        GenerationConfig c = GenerationDefaults.read(Reference.model("tiny-llama3")).applyTo(unset());
        assertEquals(0.6f, c.temperature());
        assertEquals(50, c.topK());
        assertEquals(0.9f, c.topP());
    }

    @Test
    void aSettingTheUserGaveWins() {
        GenerationConfig mine = unset().withSampling(0f, 0, 1f);
        GenerationConfig c = GenerationDefaults.read(Reference.model("tiny-qwen3")).applyTo(mine);
        assertTrue(c.isGreedy());
        assertEquals(0, c.topK());
    }

    @Test
    void aFolderWithoutTheFileDecodesGreedily() {
        GenerationConfig c = GenerationDefaults.read(Reference.model("stories260K")).applyTo(unset());
        assertTrue(c.isGreedy());
        assertFalse(GenerationDefaults.GREEDY.doSample());
    }
}
