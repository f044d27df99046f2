package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The standard metrics as {@code /metrics} writes them (the Prometheus client's text format), read by an independent parser. */
class PrometheusTextTest {

    private static double value(Map<String, PrometheusTextParser.Family> families, String family, String sample,
                                Map<String, String> labels) {
        return families.get(family).series().stream()
                .filter(s -> s.name().equals(sample) && PrometheusTextParser.sameLabels(s.labels(), labels))
                .findFirst().orElseThrow(() -> new AssertionError("no " + sample + labels)).value();
    }

    @Test
    void standardMetricsParseAndCarryTheRecordedValues() {
        var metrics = new StreamformerMetrics();
        for (int i = 0; i < 3; i++) metrics.recordIn("embed");
        metrics.recordOut("embed");
        metrics.recordOut("embed");
        metrics.recordDlq("embed", "bad_json");
        metrics.cacheHit("embed");
        metrics.cacheMiss("embed");
        metrics.cacheMiss("embed");
        // batches of 1, 3, 3, 8 and 600 records; tokens = 10 * records; 0.002 s each
        for (int records : new int[] {1, 3, 3, 8, 600}) metrics.recordBatch("embed", records, 10 * records, 0.002);
        var lag = new AtomicLong(42);
        metrics.consumerLag("embed", lag::get);

        var families = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));

        var embed = Map.of("stage", "embed");
        assertEquals(3, value(families, "streamformer_records_in_total", "streamformer_records_in_total", embed));
        assertEquals(2, value(families, "streamformer_records_out_total", "streamformer_records_out_total", embed));
        assertEquals(1, value(families, "streamformer_records_dlq_total", "streamformer_records_dlq_total",
                Map.of("stage", "embed", "reason", "bad_json")));
        assertEquals(1, value(families, "streamformer_cache_hits_total", "streamformer_cache_hits_total", embed));
        assertEquals(2, value(families, "streamformer_cache_misses_total", "streamformer_cache_misses_total", embed));
        assertEquals(6150, value(families, "streamformer_tokens_total", "streamformer_tokens_total", embed));
        assertEquals("counter", families.get("streamformer_tokens_total").type());
        assertEquals(42, value(families, "streamformer_consumer_lag", "streamformer_consumer_lag", embed));
        assertEquals("gauge", families.get("streamformer_consumer_lag").type());

        // batch size buckets 1,2,4,...,512: counted by hand from {1,3,3,8,600}
        var size = families.get("streamformer_batch_size");
        assertEquals("histogram", size.type());
        var expected = Map.of("1", 1.0, "2", 1.0, "4", 3.0, "8", 4.0, "16", 4.0, "512", 4.0, "+Inf", 5.0);
        expected.forEach((le, count) -> assertEquals(count,
                value(families, "streamformer_batch_size", "streamformer_batch_size_bucket", Map.of("stage", "embed", "le", le)),
                "le=" + le));
        assertEquals(615, value(families, "streamformer_batch_size", "streamformer_batch_size_sum", embed));
        assertEquals(5, value(families, "streamformer_batch_size", "streamformer_batch_size_count", embed));
        assertEquals(5, value(families, "streamformer_model_latency_seconds",
                "streamformer_model_latency_seconds_bucket", Map.of("stage", "embed", "le", "0.0025")));
        assertEquals(0, value(families, "streamformer_model_latency_seconds",
                "streamformer_model_latency_seconds_bucket", Map.of("stage", "embed", "le", "0.001")));

        lag.set(7); // a supplier gauge is read at each scrape
        var afterChange = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));
        assertEquals(7, value(afterChange, "streamformer_consumer_lag", "streamformer_consumer_lag", Map.of("stage", "embed")));
    }

    @Test
    void labelValuesWithBackslashesQuotesAndNewlinesComeBackUnchanged() {
        var metrics = new StreamformerMetrics();
        String reason = "C:\\dir\\\"x\"\nnext";
        metrics.recordDlq("embed", reason);
        var families = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));
        assertEquals(reason, families.get("streamformer_records_dlq_total").series().getFirst().labels().get("reason"));
    }

    @Test
    void anInitialisedStageIsListedAtZeroBeforeItsFirstRecord() {
        var metrics = new StreamformerMetrics();
        metrics.initStage("embed");
        var families = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));
        var embed = Map.of("stage", "embed");
        assertEquals(0, value(families, "streamformer_records_out_total", "streamformer_records_out_total", embed));
        assertEquals(0, value(families, "streamformer_tokens_total", "streamformer_tokens_total", embed));
        assertEquals(0, value(families, "streamformer_batch_size", "streamformer_batch_size_count", embed));
        assertEquals(0, value(families, "streamformer_model_latency_seconds", "streamformer_model_latency_seconds_bucket",
                Map.of("stage", "embed", "le", "+Inf")));
        assertFalse(families.containsKey("streamformer_records_dlq_total"), "a dead-letter reason is not known before it happens");
    }

    @Test
    void familiesWithoutSamplesAreLeftOut() {
        String text = PrometheusText.write(new StreamformerMetrics().registry());
        assertFalse(text.contains("streamformer_"), "nothing recorded, no stage: no streamformer_ family in\n" + text);
        assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), "the memory gauges are always there:\n" + text);
    }
}
