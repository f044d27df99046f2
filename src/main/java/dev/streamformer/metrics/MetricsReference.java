package dev.streamformer.metrics;

import java.util.List;
import java.util.stream.Collectors;

/** The metrics list for the documentation, generated from the registered families so it cannot drift from the code. */
public final class MetricsReference {
    private MetricsReference() {}

    /** A Markdown table: name, type, labels, meaning (and bucket bounds for histograms). */
    public static String markdown(List<MetricDescription> families) {
        var out = new StringBuilder("| metric | type | labels | meaning |\n|---|---|---|---|\n");
        for (MetricDescription f : families) {
            String meaning = f.help();
            if (!f.buckets().isEmpty()) {
                meaning += " Buckets: " + f.buckets().stream().map(MetricsReference::bound).collect(Collectors.joining(", ")) + ", +Inf.";
            }
            out.append("| `").append(f.name()).append("` | ").append(f.type()).append(" | ")
                    .append(f.labelNames().isEmpty() ? "" : "`" + String.join("`, `", f.labelNames()) + "`")
                    .append(" | ").append(meaning).append(" |\n");
        }
        out.append("| `kafka_streams_<group>_<name>` | gauge | the Kafka metric's tags | Kafka Streams' own metrics (and its clients'),"
                + " numeric ones only; names and tag keys with `-` and `.` turned into `_`. |\n");
        return out.toString();
    }

    /** A bucket bound as the table writes it: {@code 1}, {@code 0.0025}. */
    private static String bound(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
