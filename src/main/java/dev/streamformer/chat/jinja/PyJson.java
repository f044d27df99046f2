package dev.streamformer.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which the {@code tojson} filter of Hugging Face chat templates calls (transformers
 * replaces Jinja2's HTML-escaping {@code tojson} with it): separators {@code ", "} and {@code ": "} (the item
 * separator becomes {@code ","} when indenting), non-ASCII kept by default ({@code ensure_ascii=False}), floats as
 * Python prints them, dict keys in insertion order unless sorted.
 */
final class PyJson {

    /** Stands for a null value inside {@link Map#entry}, which refuses nulls. */
    private static final Object NULL = new Object();

    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;
    private final StringBuilder out = new StringBuilder();

    private PyJson(String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    /**
     * @param indent     null for one line; a number of spaces or a string to indent nested levels with
     * @param separators null for the defaults, or the [item, key] separators
     */
    static String dumps(Object value, Object indent, List<?> separators, boolean sortKeys, boolean ensureAscii) {
        String indentUnit = switch (indent) {
            case null -> null;
            case String s -> s;
            default -> {
                if (!Values.isIntegral(indent)) {
                    throw new TemplateRenderException("tojson indent must be an integer or a string, not " + Values.typeName(indent));
                }
                yield " ".repeat((int) Math.max(0, Values.asLong(indent)));
            }
        };
        String itemSeparator = indentUnit == null ? ", " : ",";
        String keySeparator = ": ";
        if (separators != null) {
            if (separators.size() != 2 || !(separators.get(0) instanceof String a) || !(separators.get(1) instanceof String b)) {
                throw new TemplateRenderException("tojson separators must be a pair of strings");
            }
            itemSeparator = a;
            keySeparator = b;
        }
        PyJson json = new PyJson(indentUnit, itemSeparator, keySeparator, sortKeys, ensureAscii);
        json.write(value, 0);
        return json.out.toString();
    }

    private void write(Object v, int depth) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case Double d -> out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Values.pythonFloat(d));
            case String s -> string(s);
            case List<?> l -> {
                if (l.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    out.append(i > 0 ? itemSeparator : "");
                    newline(depth + 1);
                    write(l.get(i), depth + 1);
                }
                newline(depth);
                out.append(']');
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<Map.Entry<String, Object>> entries = new ArrayList<>();
                m.forEach((k, val) -> entries.add(Map.entry(key(k), val == null ? NULL : val)));
                if (sortKeys) {
                    entries.sort(Map.Entry.comparingByKey());
                }
                out.append('{');
                for (int i = 0; i < entries.size(); i++) {
                    out.append(i > 0 ? itemSeparator : "");
                    newline(depth + 1);
                    string(entries.get(i).getKey());
                    out.append(keySeparator);
                    Object val = entries.get(i).getValue();
                    write(val == NULL ? null : val, depth + 1);
                }
                newline(depth);
                out.append('}');
            }
            default -> throw new TemplateRenderException("Object of type " + Values.typeName(v) + " is not JSON serializable");
        }
    }

    /** Dict keys as Python's json writes them: strings as they are, numbers and constants as their JSON text. */
    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> Values.pythonFloat(d);
            default -> throw new TemplateRenderException("keys must be str, int, float, bool or None, not " + Values.typeName(k));
        };
    }

    private void newline(int depth) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(depth));
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
