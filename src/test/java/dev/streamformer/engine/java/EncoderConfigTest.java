package dev.streamformer.engine.java;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading config.json, and the fixed sinusoidal positions of "Attention Is All You Need". */
class EncoderConfigTest {

    @Test
    void readsTheSst2ClassifiersConfig() throws Exception {
        Path config = TestModels.SHARED.resolve("models/sst2-minilm/config.json");
        assertTrue(Files.exists(config), "missing " + config.toAbsolutePath() + ": the tests need ../shared");
        EncoderConfig c = EncoderConfig.fromJson(config);
        assertEquals(384, c.hidden());
        assertEquals(6, c.layers());
        assertEquals(12, c.heads());
        assertEquals(1536, c.intermediate());
        assertEquals(2, c.numLabels());
        assertEquals(1e-12f, c.layerNormEps());
        assertEquals(EncoderConfig.Activation.GELU_ERF, c.activation());
        assertEquals(EncoderConfig.NormPlacement.POST_LN, c.norm());
    }

    @Test
    void refusesOtherArchitecturesInOneSentence(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "deberta-v2", "vocab_size": 128100, "hidden_size": 768, "num_hidden_layers": 12,
                 "num_attention_heads": 12, "intermediate_size": 3072}""");
        var e = assertThrows(IllegalArgumentException.class, () -> EncoderConfig.fromJson(config));
        assertTrue(e.getMessage().contains("deberta-v2") && e.getMessage().contains("--engine onnx"), e.getMessage());
    }

    @Test
    void sinusoidalPositionsFollowThePaper() {
        int d = 8;
        float[] pe = Embeddings.sinusoids(50, d);
        for (int pos : new int[] {0, 1, 7, 49}) {
            for (int i = 0; i < d / 2; i++) {
                double angle = pos * Math.exp(-Math.log(10000.0) * 2 * i / d);
                assertEquals(Math.sin(angle), pe[pos * d + 2 * i], 1e-6);
                assertEquals(Math.cos(angle), pe[pos * d + 2 * i + 1], 1e-6);
            }
        }
    }
}
