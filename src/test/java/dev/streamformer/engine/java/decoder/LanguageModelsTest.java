package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.LanguageModel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanguageModelsTest {

    @Test
    void picksTheArchitectureFromThePath() {
        assertEquals("gpt2", LanguageModels.load(Reference.model("newsgpt-mini")).architecture());
        LanguageModel t5 = LanguageModels.load(Reference.model("t5-mini"));
        assertInstanceOf(T5Model.class, t5);
        assertTrue(t5.encoderDecoder());
        assertArrayEquals(new int[] {1}, t5.eosIds());
        assertEquals("llama2.c", LanguageModels.load(Reference.model("stories260K")).architecture());
    }

    @Test
    void refusesAnEncoderOnlyModelInOneSentence() {
        var e = assertThrows(IllegalArgumentException.class, () -> LanguageModels.load(Reference.model("sst2-minilm")));
        assertTrue(e.getMessage().contains("model_type 'bert', which the Java engine cannot run; it runs gpt2, llama"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LanguageModels.load(Path.of("no-such-dir")));
    }
}
