package dev.streamformer.streams;

import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.MetricsRegistry;
import dev.streamformer.metrics.PrometheusText;
import dev.streamformer.metrics.StreamformerMetrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pipeline reporting into the shared {@link StreamformerMetrics}: the Prometheus text after good and bad records. */
class PipelineMetricsReportTest {

    @BeforeAll
    static void quiet() {
        QuietKafkaLogs.apply();
    }

    @Test
    void prometheusTextCountsRecordsDeadLettersBatchesAndCacheHitsPerStage() {
        var registry = new MetricsRegistry();
        var shared = new StreamformerMetrics(registry);
        var feed = new EventFeed(10);
        var metrics = new PipelineMetrics();
        metrics.reportTo(shared, "sentiment", feed);
        PipelineConfig config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(10_000, 1, Duration.ofMillis(200))).cache(new PipelineConfig.Cache(true, 100))
                .streamsConfig("bootstrap.servers", "unused:9092").streamsConfig("application.id", "ttd-metrics").build();
        try (var driver = new TopologyTestDriver(EnrichmentTopology.build(config, new TextStatsTask(), "text-stats", metrics),
                config.streamsProperties(), Instant.parse("2026-01-01T00:00:00Z"))) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
            // TextStatsTask: tokens = words + 2; one record per batch (maxRecords 1)
            for (String value : List.of(
                    "{\"text\":\"good one\"}",                    // miss, 4 tokens, out
                    "{\"text\":\"good one\"}",                    // cache hit, no batch, out
                    "{\"text\":\"three words here\"}",            // miss, 5 tokens, out
                    "{\"text\":\"bad " + TextStatsTask.FAIL_MARKER + "\"}", // miss, 4 tokens, model-failure
                    "{\"text\":\"x " + TextStatsTask.NAN_MARKER + "\"}",    // miss, 4 tokens, non-finite-output
                    "{\"text\":")) {                              // malformed-json, never batched
                input.pipeInput("k".getBytes(UTF_8), value.getBytes(UTF_8));
            }
        }
        String text = PrometheusText.write(registry.collect());
        for (String line : List.of(
                "streamformer_records_in_total{stage=\"sentiment\"} 6",
                "streamformer_records_out_total{stage=\"sentiment\"} 3",
                "streamformer_records_dlq_total{stage=\"sentiment\",reason=\"model-failure\"} 1",
                "streamformer_records_dlq_total{stage=\"sentiment\",reason=\"non-finite-output\"} 1",
                "streamformer_records_dlq_total{stage=\"sentiment\",reason=\"malformed-json\"} 1",
                "streamformer_batch_size_bucket{stage=\"sentiment\",le=\"1\"} 4",
                "streamformer_batch_size_count{stage=\"sentiment\"} 4",
                "streamformer_batch_tokens_bucket{stage=\"sentiment\",le=\"16\"} 4",
                "streamformer_batch_tokens_sum{stage=\"sentiment\"} 17",
                "streamformer_model_latency_seconds_count{stage=\"sentiment\"} 4",
                "streamformer_tokens_total{stage=\"sentiment\"} 17",
                "streamformer_cache_hits_total{stage=\"sentiment\"} 1",
                "streamformer_cache_misses_total{stage=\"sentiment\"} 4")) {
            assertTrue(text.lines().anyMatch(line::equals), "missing line: " + line + "\nin:\n" + text);
        }

        List<FeedEvent> events = feed.latest();
        assertEquals(List.of("three words here", "good one", "good one"), events.stream().map(FeedEvent::text).toList());
        assertEquals("short", events.get(0).label());
        assertNull(events.get(0).score(), "the test task gives no score");
        assertEquals("sentiment", events.get(0).stage());
        assertEquals("k", events.get(0).key());
    }
}
