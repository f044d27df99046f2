package dev.streamformer.bench;

import dev.streamformer.streams.PipelineMetrics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyBenchmarkTest {

    private static final PipelineMetrics.Counters TEN_IN_FOUR_BATCHES = new PipelineMetrics.Counters(10, 10, 0, 100, 4, 4, 40, 0, 0, 0);

    @Test
    void percentilesAreNearestRankOverTheSortedLatencies() {
        long[] micros = new long[100];
        for (int i = 0; i < micros.length; i++) micros[i] = (i + 1) * 1_000L;   // 1 ms .. 100 ms
        var result = new LatencyBenchmark.Result(null, micros, TEN_IN_FOUR_BATCHES);
        assertEquals(50.0, result.percentileMillis(0.50));
        assertEquals(95.0, result.percentileMillis(0.95));
        assertEquals(99.0, result.percentileMillis(0.99));
        assertEquals(100.0, result.percentileMillis(1.0));
        assertEquals(1.0, result.percentileMillis(0.001));
        assertEquals(2.5, result.averageBatchRecords());
    }

    @Test
    void oneLatencyIsEveryPercentile() {
        var result = new LatencyBenchmark.Result(null, new long[] {7_500}, TEN_IN_FOUR_BATCHES);
        assertEquals(7.5, result.percentileMillis(0.5));
        assertEquals(7.5, result.percentileMillis(0.99));
    }
}
