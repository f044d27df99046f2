package dev.streamformer.metrics;

/** The metric types of the Prometheus text format, as written on the {@code # TYPE} line. */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM;

    /** The word used on the {@code # TYPE} line. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
