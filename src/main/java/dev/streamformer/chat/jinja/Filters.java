package dev.streamformer.chat.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters that chat templates use ({@code value | name(args)}), with Jinja2's semantics, and
 * transformers' {@code tojson}. A filter missing here makes {@link Template#parse} fail, naming it.
 */
final class Filters {

    private Filters() {}

    @FunctionalInterface
    private interface Filter {
        Object apply(Object value, Arguments args);
    }

    /** Jinja2's {@code title} filter splits words before runs of these (unlike Python's {@code str.title}). */
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)");

    private static final Map<String, Filter> FILTERS = Map.ofEntries(
            Map.entry("abs", (v, a) -> Values.isIntegral(v) ? (Object) Math.abs(Values.asLong(v)) : Math.abs(number(v))),
            Map.entry("capitalize", (v, a) -> PyStrings.capitalize(Values.str(v))),
            Map.entry("count", (v, a) -> Values.length(v)),
            Map.entry("default", Filters::defaultValue),
            Map.entry("d", Filters::defaultValue),
            Map.entry("first", (v, a) -> {
                List<Object> items = Values.iterate(v);
                return items.isEmpty() ? Undefined.withMessage("No first item, sequence was empty.") : items.getFirst();
            }),
            Map.entry("float", (v, a) -> toFloat(v, a.get(0, "default", 0.0))),
            Map.entry("indent", Filters::indent),
            Map.entry("int", (v, a) -> toInt(v, a.get(0, "default", 0L))),
            Map.entry("items", (v, a) -> switch (v) {
                case Undefined u -> List.of();
                case Map<?, ?> m -> Methods.bind(m, "items").call(List.of(), Map.of());
                case null, default -> throw new TemplateRenderException("Can only get item pairs from a mapping.");
            }),
            Map.entry("join", Filters::join),
            Map.entry("last", (v, a) -> {
                List<Object> items = Values.iterate(v);
                return items.isEmpty() ? Undefined.withMessage("No last item, sequence was empty.") : items.getLast();
            }),
            Map.entry("length", (v, a) -> Values.length(v)),
            Map.entry("list", (v, a) -> new ArrayList<>(Values.iterate(v))),
            Map.entry("lower", (v, a) -> Values.str(v).toLowerCase(Locale.ROOT)),
            Map.entry("map", Filters::map),
            Map.entry("max", (v, a) -> extreme(v, a, true)),
            Map.entry("min", (v, a) -> extreme(v, a, false)),
            Map.entry("reject", (v, a) -> select(v, a, false, false)),
            Map.entry("rejectattr", (v, a) -> select(v, a, true, false)),
            Map.entry("replace", (v, a) -> Methods.bind(Values.str(v), "replace").call(
                    List.of(a.string(0, "old", null), a.string(1, "new", null), a.get(2, "count", -1L)), Map.of())),
            Map.entry("reverse", (v, a) -> {
                if (v instanceof String s) {
                    return new StringBuilder(s).reverse().toString();
                }
                return new ArrayList<>(Values.iterate(v)).reversed();
            }),
            Map.entry("round", Filters::round),
            Map.entry("safe", (v, a) -> v),
            Map.entry("select", (v, a) -> select(v, a, false, true)),
            Map.entry("selectattr", (v, a) -> select(v, a, true, true)),
            Map.entry("sort", Filters::sort),
            Map.entry("string", (v, a) -> Values.str(v)),
            Map.entry("sum", (v, a) -> {
                Object total = a.get(1, "start", 0L);
                String attribute = a.string(0, "attribute", null);
                for (Object item : Values.iterate(v)) {
                    total = Values.binary("+", total, attribute == null ? item : path(item, attribute));
                }
                return total;
            }),
            Map.entry("title", (v, a) -> {
                StringBuilder out = new StringBuilder();
                Matcher m = WORD_BEGINNING.matcher(Values.str(v));
                String s = Values.str(v);
                int from = 0;
                while (m.find()) {
                    out.append(titleWord(s.substring(from, m.start()))).append(titleWord(m.group()));
                    from = m.end();
                }
                return out.append(titleWord(s.substring(from))).toString();
            }),
            Map.entry("tojson", (v, a) -> {
                Object separators = a.get(2, "separators", null);
                return PyJson.dumps(v, a.get(1, "indent", null), separators instanceof List<?> l ? l : null,
                        a.flag(3, "sort_keys", false), a.flag(0, "ensure_ascii", false));
            }),
            Map.entry("trim", (v, a) -> PyStrings.strip(Values.str(v), a.string(0, "chars", null))),
            Map.entry("unique", Filters::unique),
            Map.entry("upper", (v, a) -> Values.str(v).toUpperCase(Locale.ROOT)),
            Map.entry("wordcount", (v, a) -> (long) Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS)
                    .matcher(Values.str(v)).results().count()));

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, Arguments args) {
        return FILTERS.get(name).apply(value, args);
    }

    private static double number(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!Values.isNumber(v)) {
            throw new TemplateRenderException("bad operand type for abs(): '" + Values.typeName(v) + "'");
        }
        return Values.asDouble(v);
    }

    private static Object defaultValue(Object v, Arguments a) {
        boolean replaceFalsy = a.flag(1, "boolean", false);
        boolean missing = v instanceof Undefined || (replaceFalsy && !Values.truthy(v));
        return missing ? a.get(0, "default_value", "") : v;
    }

    private static Object toFloat(Object v, Object fallback) {
        if (Values.isNumber(v)) {
            return Values.asDouble(v);
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(PyStrings.strip(s, null).replace("_", ""));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** Jinja2's {@code int}: numbers truncate, strings parse as an integer or else as a float; failures give the default. */
    private static Object toInt(Object v, Object fallback) {
        if (Values.isIntegral(v)) {
            return Values.asLong(v);
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? fallback : (Object) (long) (double) d;
        }
        if (v instanceof String s) {
            String t = PyStrings.strip(s, null).replace("_", "");
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException notInteger) {
                Object f = toFloat(t, null);
                return f instanceof Double d ? toInt(d, fallback) : fallback;
            }
        }
        return fallback;
    }

    private static Object indent(Object v, Arguments a) {
        Object width = a.get(0, "width", 4L);
        String indention = width instanceof String s ? s : " ".repeat((int) Math.max(0, Values.asLong(width)));
        boolean first = a.flag(1, "first", false);
        boolean blank = a.flag(2, "blank", false);
        List<String> lines = splitLines(Values.str(v) + "\n");
        StringBuilder out = new StringBuilder(lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            out.append('\n').append(blank || !line.isEmpty() ? indention : "").append(line);
        }
        return (first ? indention : "") + out;
    }

    /** Python's {@code str.splitlines()} for the usual line breaks ({@code \n}, {@code \r\n}, {@code \r}). */
    private static List<String> splitLines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(s.substring(start, i));
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    private static Object join(Object v, Arguments a) {
        String separator = Values.str(a.get(0, "d", ""));
        String attribute = a.string(1, "attribute", null);
        StringBuilder out = new StringBuilder();
        boolean firstItem = true;
        for (Object item : Values.iterate(v)) {
            out.append(firstItem ? "" : separator).append(Values.str(attribute == null ? item : path(item, attribute)));
            firstItem = false;
        }
        return out.toString();
    }

    /** {@code map('filter', args…)} applies a filter to each item; {@code map(attribute='a.b', default=x)} reads one. */
    private static Object map(Object v, Arguments a) {
        List<Object> out = new ArrayList<>();
        if (a.keywords().containsKey("attribute")) {
            String attribute = a.string(-1, "attribute", null);
            Object fallback = a.keywords().getOrDefault("default", null);
            for (Object item : Values.iterate(v)) {
                Object value = path(item, attribute);
                out.add(value instanceof Undefined && a.keywords().containsKey("default") ? fallback : value);
            }
            return out;
        }
        if (a.positional().isEmpty() || !(a.positional().getFirst() instanceof String filter) || !exists(filter)) {
            throw new TemplateRenderException("map needs the name of a filter or an attribute= argument");
        }
        Arguments rest = new Arguments(filter, a.from(1), a.keywords());
        for (Object item : Values.iterate(v)) {
            out.add(apply(filter, item, rest));
        }
        return out;
    }

    /** An attribute path such as {@code "function.name"} or {@code "0"}, looked up item-first as {@code x[...]} does. */
    static Object path(Object item, String attribute) {
        Object value = item;
        for (String part : attribute.split("\\.")) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            value = Values.item(value, key);
        }
        return value;
    }

    /** select / reject / selectattr / rejectattr: items for which the named test (or truth) holds, or does not. */
    private static Object select(Object v, Arguments a, boolean byAttribute, boolean keep) {
        int testIndex = byAttribute ? 1 : 0;
        String attribute = byAttribute ? a.string(0, "attribute", null) : null;
        Predicate<Object> holds;
        if (a.positional().size() > testIndex) {
            Object name = a.positional().get(testIndex);
            if (!(name instanceof String test) || !Tests.exists(test)) {
                throw new TemplateRenderException("no test named " + Values.repr(name));
            }
            List<Object> testArgs = a.from(testIndex + 1);
            holds = x -> Tests.apply(test, x, testArgs);
        } else {
            holds = Values::truthy;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : Values.iterate(v)) {
            Object subject = attribute == null ? item : path(item, attribute);
            if (holds.test(subject) == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object round(Object v, Arguments a) {
        long precision = a.integer(0, "precision", 0);
        String method = a.string(1, "method", "common");
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new TemplateRenderException("method must be common, ceil or floor");
        };
        double d = number(v);
        if (mode == RoundingMode.HALF_EVEN) {
            // Python's round(): the exact binary value, rounded half to even
            return new BigDecimal(d).setScale((int) precision, mode).doubleValue();
        }
        double scale = Math.pow(10, precision);
        return (mode == RoundingMode.CEILING ? Math.ceil(d * scale) : Math.floor(d * scale)) / scale;
    }

    private static Comparator<Object> ordering(boolean caseSensitive, String attribute) {
        return (x, y) -> {
            Object a = sortKey(attribute == null ? x : path(x, attribute), caseSensitive);
            Object b = sortKey(attribute == null ? y : path(y, attribute), caseSensitive);
            return Values.compare(a, b, "<");
        };
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    private static Object sort(Object v, Arguments a) {
        List<Object> items = new ArrayList<>(Values.iterate(v));
        Comparator<Object> order = ordering(a.flag(1, "case_sensitive", false), a.string(2, "attribute", null));
        items.sort(a.flag(0, "reverse", false) ? order.reversed() : order);
        return items;
    }

    private static Object extreme(Object v, Arguments a, boolean largest) {
        List<Object> items = Values.iterate(v);
        if (items.isEmpty()) {
            return Undefined.withMessage("No aggregated item, sequence was empty.");
        }
        Comparator<Object> order = ordering(a.flag(0, "case_sensitive", false), a.string(1, "attribute", null));
        Object best = items.getFirst();
        for (Object item : items) {
            int c = order.compare(item, best);
            if (largest ? c > 0 : c < 0) {
                best = item;
            }
        }
        return best;
    }

    private static Object unique(Object v, Arguments a) {
        boolean caseSensitive = a.flag(0, "case_sensitive", false);
        String attribute = a.string(1, "attribute", null);
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (Object item : Values.iterate(v)) {
            Object key = sortKey(attribute == null ? item : path(item, attribute), caseSensitive);
            if (seen.stream().noneMatch(s -> Values.equal(s, key))) {
                seen.add(key);
                out.add(item);
            }
        }
        return out;
    }

    private static String titleWord(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int first = word.codePointAt(0);
        return Character.toString(first).toUpperCase(Locale.ROOT) + word.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
    }
}
