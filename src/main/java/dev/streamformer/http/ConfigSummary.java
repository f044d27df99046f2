package dev.streamformer.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline configuration as the status page shows it: nested maps and lists flattened to dotted keys
 * ({@code stages.0.model}), sorted, and the
 * value of every key that looks secret replaced by {@value #HIDDEN}.
 */
public final class ConfigSummary {
    public static final String HIDDEN = "[hidden]";
    /** A key containing any of these (case-insensitive) has its value hidden. */
    public static final List<String> SECRET_KEY_PARTS = List.of("password", "secret", "sasl.jaas", "ssl.key");

    private ConfigSummary() {}

    public static Map<String, String> masked(Map<String, ?> config) {
        var out = new TreeMap<String, String>();
        flatten("", config, out);
        out.replaceAll((key, value) -> isSecret(key) ? HIDDEN : value);
        return out;
    }

    static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        map.forEach((k, v) -> flattenValue(prefix + k, v, out));
    }

    private static void flattenValue(String key, Object value, Map<String, String> out) {
        switch (value) {
            case Map<?, ?> nested -> flatten(key + ".", nested, out);
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) flattenValue(key + "." + i, list.get(i), out);
            }
            case null, default -> out.put(key, String.valueOf(value));
        }
    }
}
