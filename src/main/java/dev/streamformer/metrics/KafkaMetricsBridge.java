package dev.streamformer.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
public final class KafkaMetricsBridge implements Collector {
    private final String prefix;
    private final Supplier<? extends Map<MetricName, ? extends Metric>> metrics;

    /** Bridges {@code KafkaStreams.metrics()} under the {@code kafka_streams} prefix. */
    public static KafkaMetricsBridge forStreams(Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
        return new KafkaMetricsBridge("kafka_streams", metrics);
    }

    public KafkaMetricsBridge(String prefix, Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
        this.prefix = MetricNames.requireMetricName(prefix);
        this.metrics = metrics;
    }

    @Override
    public List<FamilySnapshot> collect() {
        // family name -> (help, samples); TreeMap keeps the output stable between scrapes
        var help = new TreeMap<String, String>();
        var samples = new TreeMap<String, List<Sample>>();
        var seen = new TreeMap<String, Set<List<Sample.Label>>>();
        for (var entry : metrics.get().entrySet()) {
            if (!(entry.getValue().metricValue() instanceof Number number)) continue;
            MetricName kafkaName = entry.getKey();
            String family = prefix + "_" + MetricNames.sanitize(kafkaName.group()) + "_" + MetricNames.sanitize(kafkaName.name());
            List<Sample.Label> labels = labelsOf(kafkaName.tags());
            if (!seen.computeIfAbsent(family, f -> new HashSet<>()).add(labels)) continue; // clash after sanitising
            help.putIfAbsent(family, kafkaName.description());
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(new Sample(family, labels, number.doubleValue()));
        }
        var out = new ArrayList<FamilySnapshot>(samples.size());
        samples.forEach((family, list) -> {
            list.sort((a, b) -> a.labels().toString().compareTo(b.labels().toString()));
            out.add(new FamilySnapshot(family, help.get(family), MetricType.GAUGE, list));
        });
        return out;
    }

    private static List<Sample.Label> labelsOf(Map<String, String> tags) {
        var labels = new ArrayList<Sample.Label>(tags.size());
        new TreeMap<>(tags).forEach((k, v) -> labels.add(new Sample.Label(MetricNames.sanitize(k), v == null ? "" : v)));
        return labels;
    }
}
