package dev.streamformer.metrics;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The metrics list for the documentation, generated from the registered families so it cannot drift from the code. */
public final class MetricsReference {
    private MetricsReference() {}

    /** A Markdown table: name, type, labels, meaning (and bucket bounds for histograms). */
    public static String markdown(MetricsRegistry registry) {
        var out = new StringBuilder("| metric | type | labels | meaning |\n|---|---|---|---|\n");
        for (MetricFamily<?> f : registry.families()) {
            String meaning = f.help();
            if (f instanceof HistogramFamily h) {
                meaning += " Buckets: " + Arrays.stream(h.upperBounds()).mapToObj(PrometheusText::formatValue)
                        .collect(Collectors.joining(", ")) + ", +Inf.";
            }
            out.append("| `").append(f.name()).append("` | ").append(f.type().word()).append(" | ")
                    .append(f.labelNames().isEmpty() ? "" : "`" + String.join("`, `", f.labelNames()) + "`")
                    .append(" | ").append(meaning).append(" |\n");
        }
        out.append("| `kafka_streams_<group>_<name>` | gauge | the Kafka metric's tags | Kafka Streams' own metrics (and its clients'),"
                + " numeric ones only; names and tag keys with `-` and `.` turned into `_`. |\n");
        return out.toString();
    }
}
