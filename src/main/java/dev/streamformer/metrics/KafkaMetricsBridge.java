package dev.streamformer.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes a Kafka metrics map ({@code KafkaStreams.metrics()}, or any client's) as Prometheus gauges, read at
 * each scrape. A Kafka metric {@code (group, name, tags)} becomes {@code <prefix>_<group>_<name>{tags}}, e.g.
 * {@code stream-thread-metrics / process-rate / thread-id=t1} becomes
 * {@code kafka_streams_stream_thread_metrics_process_rate{thread_id="t1"}}. Only numeric values are exposed
 * (Kafka also has string metrics such as the version); every name is sanitised to {@code [a-zA-Z0-9_]}.
 */
public final class KafkaMetricsBridge implements MultiCollector {
    private final String prefix;
    private final Supplier<? extends Map<MetricName, ? extends Metric>> metrics;

    /** Bridges {@code KafkaStreams.metrics()} under the {@code kafka_streams} prefix. */
    public static KafkaMetricsBridge forStreams(Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
        return new KafkaMetricsBridge("kafka_streams", metrics);
    }

    public KafkaMetricsBridge(String prefix, Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
        if (!prefix.equals(sanitize(prefix))) {
            throw new IllegalArgumentException("Metric prefix '" + prefix + "' is not valid: use letters, digits and '_', not starting with a digit.");
        }
        this.prefix = prefix;
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        // family name -> its gauge; TreeMap keeps the families in a stable order between scrapes
        var families = new TreeMap<String, GaugeSnapshot.Builder>();
        var seen = new HashSet<String>();
        for (var entry : metrics.get().entrySet()) {
            if (!(entry.getValue().metricValue() instanceof Number number)) continue;
            MetricName kafkaName = entry.getKey();
            String family = prefix + "_" + sanitize(kafkaName.group()) + "_" + sanitize(kafkaName.name());
            Labels labels = labelsOf(kafkaName.tags());
            if (!seen.add(family + labels)) continue; // two Kafka metrics that are one series after sanitising: keep one
            families.computeIfAbsent(family, f -> GaugeSnapshot.builder().name(f).help(kafkaName.description()))
                    .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(number.doubleValue()).build());
        }
        return new MetricSnapshots(families.values().stream().<MetricSnapshot>map(GaugeSnapshot.Builder::build).toList());
    }

    private static Labels labelsOf(Map<String, String> tags) {
        var labels = Labels.builder();
        Set<String> names = new HashSet<>();
        new TreeMap<>(tags).forEach((k, v) -> {
            String name = sanitize(k);
            if (names.add(name)) labels.label(name, v == null ? "" : v); // "a-b" and "a.b": the first wins
        });
        return labels.build();
    }

    /**
     * Turns an arbitrary name (e.g. Kafka's {@code stream-thread-metrics}) into a valid metric or label name:
     * every character outside {@code [a-zA-Z0-9_]} becomes {@code _}, and a leading digit gets a {@code _} prefix.
     */
    static String sanitize(String raw) {
        var out = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(ok ? c : '_');
        }
        if (out.isEmpty() || Character.isDigit(out.charAt(0))) {
            out.insert(0, '_');
        }
        return out.toString();
    }
}
