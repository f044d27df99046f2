package dev.streamformer.streams;

import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.PrometheusText;
import dev.streamformer.metrics.PrometheusTextParser;
import dev.streamformer.metrics.StreamformerMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A pipeline reporting into the shared {@link StreamformerMetrics}: the Prometheus text after good and bad records. */
class PipelineMetricsReportTest {

    @Test
    void prometheusTextCountsRecordsDeadLettersBatchesAndCacheHitsPerStage() {
        var shared = new StreamformerMetrics();
        var feed = new EventFeed(10);
        var metrics = new PipelineMetrics();
        metrics.reportTo(shared, "sentiment", feed);
        var pipeline = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(10_000, 1, Duration.ofMillis(200))).cache(new PipelineConfig.Cache(true, 100));
        try (var run = TopologyRun.start(pipeline, config -> EnrichmentTopology.build(config, new TextStatsTask(), "text-stats", metrics))) {
            // TextStatsTask: tokens = words + 2; one record per batch (maxRecords 1)
            for (String value : List.of(
                    "{\"text\":\"good one\"}",                    // miss, 4 tokens, out
                    "{\"text\":\"good one\"}",                    // cache hit, no batch, out
                    "{\"text\":\"three words here\"}",            // miss, 5 tokens, out
                    "{\"text\":\"bad " + TextStatsTask.FAIL_MARKER + "\"}", // miss, 4 tokens, model-failure
                    "{\"text\":\"x " + TextStatsTask.NAN_MARKER + "\"}",    // miss, 4 tokens, non-finite-output
                    "{\"text\":")) {                              // malformed-json, never batched
                run.input.pipeInput("k".getBytes(UTF_8), value.getBytes(UTF_8));
            }
        }
        var families = PrometheusTextParser.parse(PrometheusText.write(shared.registry()));
        var stage = Map.of("stage", "sentiment");
        assertEquals(6, value(families, "streamformer_records_in_total", stage));
        assertEquals(3, value(families, "streamformer_records_out_total", stage));
        for (String reason : List.of("model-failure", "non-finite-output", "malformed-json")) {
            assertEquals(1, value(families, "streamformer_records_dlq_total", Map.of("stage", "sentiment", "reason", reason)), reason);
        }
        assertEquals(4, value(families, "streamformer_batch_size_bucket", Map.of("stage", "sentiment", "le", "1")));
        assertEquals(4, value(families, "streamformer_batch_size_count", stage));
        assertEquals(4, value(families, "streamformer_batch_tokens_bucket", Map.of("stage", "sentiment", "le", "16")));
        assertEquals(17, value(families, "streamformer_batch_tokens_sum", stage));
        assertEquals(4, value(families, "streamformer_model_latency_seconds_count", stage));
        assertEquals(17, value(families, "streamformer_tokens_total", stage));
        assertEquals(1, value(families, "streamformer_cache_hits_total", stage));
        assertEquals(4, value(families, "streamformer_cache_misses_total", stage));

        List<FeedEvent> events = feed.latest();
        assertEquals(List.of("three words here", "good one", "good one"), events.stream().map(FeedEvent::text).toList());
        assertEquals("short", events.get(0).label());
        assertNull(events.get(0).score(), "the test task gives no score");
        assertEquals("sentiment", events.get(0).stage());
        assertEquals("k", events.get(0).key());
    }

    /** The value of one exposed series; {@code le} is compared as a number ({@code 1} and {@code 1.0} are one bound). */
    private static double value(Map<String, PrometheusTextParser.Family> families, String sample, Map<String, String> labels) {
        return families.values().stream().flatMap(f -> f.series().stream())
                .filter(s -> s.name().equals(sample) && PrometheusTextParser.sameLabels(s.labels(), labels))
                .findFirst().orElseThrow(() -> new AssertionError("no " + sample + labels + " in " + families.keySet())).value();
    }
}
