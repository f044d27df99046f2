package dev.streamformer.metrics;

import java.util.List;

/**
 * Writes metric families in the Prometheus text exposition format, version 0.0.4:
 * <pre>
 * # HELP name help text with \\ and \n escaped
 * # TYPE name counter|gauge|histogram
 * name{label="value with \\ \" \n escaped",...} value
 * </pre>
 */
public final class PrometheusText {
    /** The Content-Type a scraper expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    public static String write(List<FamilySnapshot> families) {
        var out = new StringBuilder(4096);
        for (FamilySnapshot f : families) {
            out.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().word()).append('\n');
            for (Sample s : f.samples()) {
                out.append(s.name());
                if (!s.labels().isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < s.labels().size(); i++) {
                        Sample.Label l = s.labels().get(i);
                        if (i > 0) out.append(',');
                        out.append(l.name()).append("=\"").append(escapeLabelValue(l.value())).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(formatValue(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    /** A value as the format spells it: {@code NaN}, {@code +Inf}, {@code -Inf}, integers without a fraction. */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    static String escapeHelp(String help) {
        return help == null ? "" : help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
