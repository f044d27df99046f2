package dev.streamformer.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An independent reader of the Prometheus text exposition format 0.0.4, written from the spec
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), strict enough to fail on what a real
 * scraper would reject: bad names, bad escapes, a TYPE after samples, duplicate series, broken histograms.
 */
public final class PrometheusTextParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public record Series(String name, Map<String, String> labels, double value) {}

    public record Family(String name, String help, String type, List<Series> series) {}

    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("exposition must end with a line feed");
        var help = new LinkedHashMap<String, String>();
        var type = new LinkedHashMap<String, String>();
        var series = new LinkedHashMap<String, List<Series>>();
        var seenSeries = new HashSet<String>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("HELP")) {
                    requireName(parts[2]);
                    if (help.put(parts[2], parts.length == 4 ? unescapeHelp(parts[3]) : "") != null) {
                        throw new AssertionError("second HELP for " + parts[2]);
                    }
                } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    requireName(parts[2]);
                    if (parts.length != 4 || !Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3])) {
                        throw new AssertionError("bad TYPE line: " + line);
                    }
                    if (series.containsKey(parts[2])) throw new AssertionError("TYPE after samples: " + line);
                    if (type.put(parts[2], parts[3]) != null) throw new AssertionError("second TYPE for " + parts[2]);
                }
                continue;
            }
            Series s = parseSample(line);
            String family = familyOf(s.name(), type);
            if (!seenSeries.add(s.name() + new TreeMap<>(s.labels()))) throw new AssertionError("duplicate series: " + line);
            series.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
        }
        var out = new LinkedHashMap<String, Family>();
        series.forEach((name, list) -> {
            var f = new Family(name, help.get(name), type.getOrDefault(name, "untyped"), list);
            if (f.type().equals("histogram")) checkHistogram(f);
            out.put(name, f);
        });
        return out;
    }

    /** Whether two label sets are the same series: equal, with {@code le} values compared as numbers ({@code 1} = {@code 1.0}). */
    public static boolean sameLabels(Map<String, String> a, Map<String, String> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (var e : a.entrySet()) {
            String other = b.get(e.getKey());
            boolean same = e.getKey().equals("le") ? parseValue(e.getValue()) == parseValue(other) : e.getValue().equals(other);
            if (!same) return false;
        }
        return true;
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if ("histogram".equals(types.get(base))) return base;
            }
        }
        return sampleName;
    }

    /** {@code name{a="x",b="y"} value [timestamp]} with \\, \" and \n escapes in label values. */
    static Series parseSample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = requireName(line.substring(0, i));
        var labels = new LinkedHashMap<String, String>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) throw new AssertionError("bad label name '" + label + "' in " + line);
                if (line.charAt(eq + 1) != '"') throw new AssertionError("label value must be quoted: " + line);
                var value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new AssertionError("bad escape \\" + e + " in " + line);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) throw new AssertionError("repeated label " + label);
                i = j + 1;
                if (line.charAt(i) == ',') i++;
                else if (line.charAt(i) != '}') throw new AssertionError("expected , or } at " + i + " in " + line);
            }
            i++;
        }
        if (line.charAt(i) != ' ') throw new AssertionError("expected a space before the value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) throw new AssertionError("too many fields: " + line);
        if (rest.length == 2) Long.parseLong(rest[1]); // timestamp in ms
        return new Series(name, labels, parseValue(rest[0]));
    }

    static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) throw new AssertionError("bad value " + v);
                yield Double.parseDouble(v);
            }
        };
    }

    private static String requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) throw new AssertionError("bad metric name '" + name + "'");
        return name;
    }

    private static String unescapeHelp(String s) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char e = s.charAt(++i);
                out.append(switch (e) {
                    case '\\' -> '\\';
                    case 'n' -> '\n';
                    default -> throw new AssertionError("bad escape in HELP: \\" + e);
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Per label set: buckets sorted by le, cumulative, ending with +Inf equal to _count; _sum present. */
    private static void checkHistogram(Family f) {
        var byLabels = new LinkedHashMap<Map<String, String>, List<Series>>();
        for (Series s : f.series()) {
            var key = new TreeMap<>(s.labels());
            key.remove("le");
            byLabels.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        byLabels.forEach((labels, list) -> {
            double lastLe = Double.NEGATIVE_INFINITY, lastCount = 0, count = Double.NaN, inf = Double.NaN;
            boolean hasSum = false;
            for (Series s : list) {
                if (s.name().endsWith("_bucket")) {
                    double le = parseValue(s.labels().get("le"));
                    if (!(le > lastLe) || s.value() < lastCount) throw new AssertionError("buckets out of order in " + f.name());
                    lastLe = le;
                    lastCount = s.value();
                    if (le == Double.POSITIVE_INFINITY) inf = s.value();
                } else if (s.name().endsWith("_count")) {
                    count = s.value();
                } else if (s.name().endsWith("_sum")) {
                    hasSum = true;
                }
            }
            if (Double.isNaN(inf) || inf != count || !hasSum) {
                throw new AssertionError("histogram " + f.name() + labels + " needs le=\"+Inf\" == _count and a _sum");
            }
        });
    }
}
