package dev.streamformer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamformer.metrics.StreamformerMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

    @SuppressWarnings("unchecked")
    private static List<Object> series(MetricsHistory history, String stage, String name) {
        var stages = (Map<String, Map<String, List<Object>>>) history.toJson().get("stages");
        return stages.get(stage).get(name);
    }

    private static Object last(MetricsHistory history, String stage, String name) {
        List<Object> values = series(history, stage, name);
        return values.getLast();
    }

    @Test
    void ratesPercentilesBatchesPaddingLagAndModelSharePerStage() {
        var metrics = new StreamformerMetrics();
        var history = new MetricsHistory(metrics, 10, 2);
        metrics.recordIn("embed");
        metrics.consumerLag("embed", () -> 42);
        history.sample(0);
        assertNull(last(history, "embed", "in"), "one reading: no rate yet");
        assertEquals(42.0, last(history, "embed", "lag"));

        for (int i = 0; i < 40; i++) metrics.recordIn("embed");
        for (int i = 0; i < 30; i++) metrics.recordOut("embed");
        for (int i = 0; i < 2; i++) metrics.recordDlq("embed", i == 0 ? "malformed-json" : "too-long");
        // 4 batches of 10 records, 100 tokens and 20 padding each; latencies 20, 20, 20 and 400 ms
        for (double seconds : new double[] {0.02, 0.02, 0.02, 0.4}) metrics.recordBatch("embed", 10, 100, 20, seconds);
        history.sample(2000);
        assertEquals(20.0, last(history, "embed", "in"), "40 records in 2 s");
        assertEquals(15.0, last(history, "embed", "out"));
        assertEquals(1.0, last(history, "embed", "dlq"), "dead letters of every reason");
        assertEquals(10.0, last(history, "embed", "batchRecords"));
        assertEquals(20.0 / 120, (Double) last(history, "embed", "paddingWaste"), 1e-4);
        assertEquals(0.23, (Double) last(history, "embed", "modelShare"), 1e-4, "0.46 s of model time in 2 s");
        // p50: rank 2 of 4 in the (0.01, 0.025] bucket holding 3: 10 + 15 * 2/3 ms
        assertEquals(20.0, (Double) last(history, "embed", "p50"), 1e-3);
        // p99: rank 3.96 in (0.25, 0.5] holding the one slow batch
        assertEquals(250 + 250 * 0.96, (Double) last(history, "embed", "p99"), 1e-3);

        history.sample(3000);
        history.sample(4000);
        assertEquals(0.0, last(history, "embed", "in"), "the window moved past the burst");
        assertNull(last(history, "embed", "p50"), "no batch in the window: no latency");
    }

    @Test
    void keepsOnlyTheLastReadingsPerStage() {
        var metrics = new StreamformerMetrics();
        var history = new MetricsHistory(metrics, 5, 1);
        metrics.recordIn("a");
        metrics.recordIn("b");
        for (int i = 0; i < 1000; i++) {
            metrics.recordIn("a");
            history.sample(i * 1000L);
        }
        assertEquals(5, series(history, "a", "t").size());
        assertEquals(5, series(history, "b", "in").size());
        assertEquals(List.of(995_000L, 996_000L, 997_000L, 998_000L, 999_000L), series(history, "a", "t"));
        assertEquals(1.0, last(history, "a", "in"));
    }
}
