package dev.streamformer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    /** Registers records-lag the way Kafka's fetcher does: a Value stat per partition sensor. */
    private static void lag(Metrics metrics, String clientId, String topic, int partition, double value) {
        var sensor = metrics.sensor(clientId + "." + topic + "-" + partition + ".records-lag");
        sensor.add(metrics.metricName("records-lag", "consumer-fetch-manager-metrics", "The latest lag of the partition",
                Map.of("client-id", clientId, "topic", topic, "partition", Integer.toString(partition))), new Value());
        sensor.record(value);
    }

    @Test
    void sumsTheMainConsumersPartitionLagOnly() {
        try (var metrics = new Metrics()) {
            lag(metrics, "app-StreamThread-1-consumer", "events", 0, 120);
            lag(metrics, "app-StreamThread-1-consumer", "events", 1, 30);
            lag(metrics, "app-StreamThread-2-consumer", "events", 2, 7);
            lag(metrics, "app-StreamThread-1-restore-consumer", "app-store-changelog", 0, 1000);
            assertEquals(157, ConsumerLag.total(metrics.metrics()));

            var registry = new MetricsRegistry();
            new StreamformerMetrics(registry).consumerLag(() -> ConsumerLag.total(metrics.metrics()));
            var parsed = PrometheusTextParser.parse(PrometheusText.write(registry.collect()));
            assertEquals(157, parsed.get("streamformer_consumer_lag").series().getFirst().value());
        }
    }
}
