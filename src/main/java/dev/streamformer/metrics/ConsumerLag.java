package dev.streamformer.metrics;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Consumer lag read from a Kafka Streams metrics map: the sum over input partitions of the main consumer's
 * {@code consumer-fetch-manager-metrics / records-lag} (tags client-id, topic, partition). The restore consumer
 * (changelogs) is left out, and so are partitions whose lag is not known yet (NaN).
 */
public final class ConsumerLag {
    private ConsumerLag() {}

    /** Use as {@code metrics.consumerLag(() -> ConsumerLag.total(streams.metrics()))}. */
    public static double total(Map<MetricName, ? extends Metric> metrics) {
        double sum = 0;
        for (var e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (!name.group().equals("consumer-fetch-manager-metrics") || !name.name().equals("records-lag")
                    || !name.tags().containsKey("partition")
                    || name.tags().getOrDefault("client-id", "").endsWith("restore-consumer")) {
                continue;
            }
            if (e.getValue().metricValue() instanceof Number lag && !Double.isNaN(lag.doubleValue())) {
                sum += lag.doubleValue();
            }
        }
        return sum;
    }
}
