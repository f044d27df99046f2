package dev.streamformer.metrics;

import java.util.regex.Pattern;

/** The Prometheus rules for metric and label names, and a sanitiser for names that come from elsewhere. */
public final class MetricNames {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private MetricNames() {}

    static String requireMetricName(String name) {
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Metric name '" + name
                    + "' is not valid: use letters, digits, '_' and ':' and do not start with a digit.");
        }
        return name;
    }

    static String requireLabelName(String name) {
        if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__") || name.equals("le")) {
            throw new IllegalArgumentException("Label name '" + name
                    + "' is not valid: use letters, digits and '_', do not start with a digit or '__', and do not use 'le'.");
        }
        return name;
    }

    /**
     * Turns an arbitrary name (e.g. Kafka's {@code stream-thread-metrics}) into a valid metric or label name:
     * every character outside {@code [a-zA-Z0-9_]} becomes {@code _}, and a leading digit gets a {@code _} prefix.
     */
    public static String sanitize(String raw) {
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
