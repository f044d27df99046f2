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
                List.of(new EngineBenchmark.Shape(2, 8), EngineBenchmark.Shape.parse("3x4-9")), 1, 0.05,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        assertEquals(2, results.size());
        assertTrue(results.getFirst().javaTextsPerSecond() > 0 && results.getFirst().ortTextsPerSecond() > 0);
        String out = text.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("batch   2 x   8 tokens") && out.contains("batch   3 x 4-9 tokens") && out.contains("java/ort"), out);
    }

    @Test
    void mixedLengthsStayInTheirRangeAndBadShapesAreRefused() {
        var batch = EngineBenchmark.randomBatch(EngineBenchmark.Shape.parse("40x3-7"), 30522, 1);
        java.util.Set<Integer> lengths = new java.util.TreeSet<>();
        for (int b = 0; b < batch.batchSize(); b++) lengths.add(batch.length(b));
        assertEquals(java.util.Set.of(3, 4, 5, 6, 7), lengths, "40 draws cover 3..7");
        for (String bad : List.of("8", "8x", "0x16", "8x1", "8x9-4", "axb")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> EngineBenchmark.Shape.parse(bad));
            assertTrue(e.getMessage().contains("write it as e.g. 8x64"), e.getMessage());
        }
    }
}
