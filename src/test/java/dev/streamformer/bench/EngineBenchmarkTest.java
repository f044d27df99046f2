package dev.streamformer.bench;

import dev.streamformer.model.ModelRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's entry point runs both engines and reports one line per shape (a smoke test: tiny and short). */
class EngineBenchmarkTest {

    @Test
    void timesBothEnginesAndPrintsTheRatio() throws Exception {
        var model = ModelRegistry.standard().resolve("all-minilm-l6-v2");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<EngineBenchmark.Result> results = EngineBenchmark.run(model.onnx(),
                List.of(new EngineBenchmark.Shape(2, 8)), 1, 0.05, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertEquals(1, results.size());
        assertTrue(results.getFirst().javaTextsPerSecond() > 0 && results.getFirst().ortTextsPerSecond() > 0);
        String out = text.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("batch   2 x   8 tokens") && out.contains("java/ort"), out);
    }
}
