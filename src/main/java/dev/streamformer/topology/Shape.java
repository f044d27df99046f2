package dev.streamformer.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The structural check of a parsed topology file against {@link TopologyFile}'s records: unknown keys (with the
 * closest known one) and values of the wrong type, each reported with its line. A value that is wrong is removed from
 * the tree, so the rest still binds and gets its own checks: every mistake is found in one pass.
 */
final class Shape {

    private final Problems problems;

    Shape(Problems problems) { this.problems = problems; }

    /** Checks {@code node} as an instance of record {@code type}; {@code pointer} and {@code key} name where it is. */
    void checkRecord(ObjectNode node, Class<?> type, String pointer, String key) {
        Map<String, RecordComponent> fields = fields(type);
        List<String> drop = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            String at = pointer + "/" + escape(name);
            String k = key.isEmpty() ? name : key + "." + name;
            RecordComponent c = fields.get(name);
            if (c == null) {
                String near = closest(name, fields.keySet());
                problems.add(at, k, "unknown key" + (near == null ? "" : "; did you mean '" + near + "'?")
                        + " Allowed " + (key.isEmpty() ? "at the top level" : "in " + key) + ": " + String.join(", ", fields.keySet()) + ".");
                if (near != null && !node.has(near)) problems.cover(pointer + "/" + escape(near));
                drop.add(name);
                continue;
            }
            if (!check(e.getValue(), c.getGenericType(), at, k)) drop.add(name);
        }
        drop.forEach(node::remove);
    }

    /** Checks one value; false when it is wrong (reported) and must be dropped. */
    private boolean check(JsonNode value, Type type, String at, String key) {
        if (value == null || value.isNull()) return true; // a key with no value: as if absent, the semantic checks say if it is needed
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            if (value.isValueNode()) return true;
            return wrong(at, key, "must be a single value (text), not a " + kind(value) + ".");
        }
        if (raw == Integer.class || raw == Long.class) {
            BigDecimal n = number(value);
            if (n == null) return wrong(at, key, "must be a whole number, got " + shown(value) + ".");
            try {
                long l = n.longValueExact();
                if (raw == Integer.class && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
                    return wrong(at, key, "must be a whole number up to " + Integer.MAX_VALUE + ", got " + shown(value) + ".");
                }
            } catch (ArithmeticException e) {
                return wrong(at, key, "must be a whole number, got " + shown(value) + ".");
            }
            return true;
        }
        if (raw == Float.class || raw == Double.class) {
            if (number(value) == null && !(value.isNumber())) return wrong(at, key, "must be a number, got " + shown(value) + ".");
            return true;
        }
        if (raw == Boolean.class) {
            if (value.isBoolean() || (value.isTextual() && value.asText().matches("(?i)true|false"))) return true;
            return wrong(at, key, "must be true or false, got " + shown(value) + ".");
        }
        if (raw == Map.class) {
            if (!(value instanceof ObjectNode object)) return wrong(at, key, "must be a mapping of keys to values, not a " + kind(value) + ".");
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            if (valueType == String.class) {
                List<String> drop = new ArrayList<>();
                object.properties().forEach(e -> {
                    if (!check(e.getValue(), String.class, at + "/" + escape(e.getKey()), key + "." + e.getKey())) drop.add(e.getKey());
                });
                drop.forEach(object::remove);
            }
            return true;
        }
        if (raw == List.class) {
            if (!(value instanceof ArrayNode array)) {
                return wrong(at, key, "must be a list (one '- ' entry per item, or [a, b]), not a " + kind(value) + ".");
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            for (int i = 0; i < array.size(); i++) {
                if (!check(array.get(i), element, at + "/" + i, key + "[" + i + "]")) array.set(i, (JsonNode) null);
            }
            return true;
        }
        if (raw.isRecord()) {
            if (!(value instanceof ObjectNode object)) {
                return wrong(at, key, "must be a mapping with keys " + String.join(", ", fields(raw).keySet()) + ", not a " + kind(value) + ".");
            }
            checkRecord(object, raw, at, key);
            return true;
        }
        return true;
    }

    private boolean wrong(String at, String key, String message) {
        problems.add(at, key, message);
        return false;
    }

    /** The value as a number, when it is one or text that reads as one (as YAML's quoted numbers do). */
    private static BigDecimal number(JsonNode value) {
        if (value.isNumber()) {
            return value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue()) ? null : value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String kind(JsonNode value) {
        return value.isObject() ? "mapping" : value.isArray() ? "list" : "single value";
    }

    private static String shown(JsonNode value) {
        if (value.isTextual()) return "'" + value.asText() + "'";
        if (value.isValueNode()) return value.asText();
        return "a " + kind(value);
    }

    static String escape(String name) { return name.replace("~", "~0").replace("/", "~1"); }

    /** The keys of a record as written in YAML, in declaration order (see {@link TopologyFile#keys}). */
    static Map<String, RecordComponent> fields(Class<?> type) {
        return TopologyFile.keys(type);
    }

    /**
     * The known key closest to {@code name}: the same one in another spelling ({@code max_tokens}, {@code MaxTokens}),
     * else the one within a small edit distance; null when none is close.
     */
    static String closest(String name, Iterable<String> known) {
        String flat = flatten(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (flatten(k).equals(flat)) return k;
            int d = distance(flat, flatten(k));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(1, flat.length() / 3) ? best : null;
    }

    private static String flatten(String s) { return s.replaceAll("[_\\-.\\s]", "").toLowerCase(Locale.ROOT); }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
