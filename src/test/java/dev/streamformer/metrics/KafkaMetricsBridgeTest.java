package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaMetricsBridgeTest {

    /** The naming rule, restated independently: kafka_streams_<group>_<name>, non-[a-zA-Z0-9_] to '_'. */
    private static String expectedName(MetricName m) {
        return ("kafka_streams_" + m.group() + "_" + m.name()).replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static Map<String, String> expectedLabels(MetricName m) {
        var labels = new TreeMap<String, String>();
        m.tags().forEach((k, v) -> labels.put(k.replaceAll("[^a-zA-Z0-9_]", "_"), v));
        return labels;
    }

    @Test
    void kafkaMetricsBecomeGaugesWithSanitisedNamesAndTagLabels() {
        try (var kafkaMetrics = new Metrics()) {
            var tags = Map.of("thread-id", "app-StreamThread-1", "task.id", "0_1");
            var sensor = kafkaMetrics.sensor("process");
            sensor.add(kafkaMetrics.metricName("process-latency-avg", "stream-thread-metrics", "Average latency.", tags), new Avg());
            sensor.add(kafkaMetrics.metricName("process-total", "stream-thread-metrics", "Records processed.", tags), new CumulativeSum());
            sensor.record(2);
            sensor.record(4);
            kafkaMetrics.addMetric(kafkaMetrics.metricName("version", "app-info", "A string metric.", Map.of()),
                    (Gauge<String>) (config, now) -> "4.4.0");

            var registry = new PrometheusRegistry();
            registry.register(KafkaMetricsBridge.forStreams(kafkaMetrics::metrics));
            var families = PrometheusTextParser.parse(PrometheusText.write(registry));

            var labels = Map.of("thread_id", "app-StreamThread-1", "task_id", "0_1");
            var avg = families.get("kafka_streams_stream_thread_metrics_process_latency_avg");
            assertEquals("gauge", avg.type());
            assertEquals("Average latency.", avg.help());
            assertEquals(labels, avg.series().getFirst().labels());
            assertEquals(3.0, avg.series().getFirst().value());
            assertEquals(6.0, families.get("kafka_streams_stream_thread_metrics_process_total").series().getFirst().value());
            assertFalse(families.containsKey("kafka_streams_app_info_version"), "string metrics are not exposed");
        }
    }

    @Test
    void aRealKafkaStreamsMetricsMapIsBridgedCompletely(@TempDir Path stateDir) throws Exception {
        var builder = new StreamsBuilder();
        builder.stream("in").to("out");
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bridge-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // never started: no broker needed
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("state")).toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        try (var streams = new KafkaStreams(builder.build(), props)) {
            // the map is live (the clients add per-node metrics as they try to connect): bridge one snapshot of it
            var snapshot = Map.copyOf(streams.metrics());
            var metrics = new StreamformerMetrics();
            metrics.bridgeKafkaStreams(() -> snapshot);
            var families = PrometheusTextParser.parse(PrometheusText.write(metrics.registry()));

            int numeric = 0;
            for (var entry : snapshot.entrySet()) {
                MetricName name = entry.getKey();
                var family = families.get(expectedName(name));
                if (!(entry.getValue().metricValue() instanceof Number)) {
                    assertTrue(family == null || family.series().stream().noneMatch(s -> s.labels().equals(expectedLabels(name))),
                            "non-numeric metric exposed: " + name);
                    continue;
                }
                numeric++;
                assertTrue(family != null, "missing " + expectedName(name) + " for " + name);
                assertTrue(family.series().stream().anyMatch(s -> s.labels().equals(expectedLabels(name))),
                        "missing labels " + expectedLabels(name) + " in " + family);
            }
            int exposed = families.entrySet().stream().filter(f -> f.getKey().startsWith("kafka_streams_"))
                    .mapToInt(f -> f.getValue().series().size()).sum();
            assertEquals(numeric, exposed, "one series per numeric Kafka metric");
            assertTrue(numeric > 50, "Kafka Streams with its clients has many metrics; got " + numeric);
            var threads = families.get("kafka_streams_stream_metrics_alive_stream_threads");
            assertTrue(threads != null, "client-level metric alive-stream-threads is bridged");
            assertTrue(threads.series().getFirst().labels().get("client_id").startsWith("bridge-test"),
                    "tags become labels: " + threads.series().getFirst().labels());
            var aliveThreads = snapshot.entrySet().stream()
                    .filter(e -> e.getKey().group().equals("stream-metrics") && e.getKey().name().equals("alive-stream-threads"))
                    .findFirst().orElseThrow().getValue();
            assertEquals(((Number) aliveThreads.metricValue()).doubleValue(), threads.series().getFirst().value());
        }
    }
}
