package dev.streamformer.chat.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Python methods chat templates call on strings ({@code content.strip()}, {@code .split('</think>')},
 * {@code .startswith(...)}, …) and on dicts ({@code .items()}, {@code .keys()}, {@code .values()}, {@code .get(k)}).
 * Lists get none: Hugging Face renders in Jinja2's immutable sandbox, where {@code append} and friends are refused.
 */
final class Methods {

    private Methods() {}

    /** The method {@code name} of a string or dict, bound to it, or null when it has none of that name. */
    static TemplateFunction bind(Object receiver, String name) {
        if (receiver instanceof String s) {
            return switch (name) {
                case "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "replace", "upper", "lower",
                     "title", "capitalize", "find", "count", "join", "isdigit", "isspace" ->
                        (args, keywords) -> stringMethod(s, name, new Arguments(name, args, keywords));
                default -> null;
            };
        }
        if (receiver instanceof Map<?, ?> m) {
            return switch (name) {
                case "items", "keys", "values", "get" ->
                        (args, keywords) -> dictMethod(m, name, new Arguments(name, args, keywords));
                default -> null;
            };
        }
        return null;
    }

    private static Object stringMethod(String s, String name, Arguments a) {
        return switch (name) {
            case "strip" -> PyStrings.strip(s, a.string(0, "chars", null));
            case "lstrip" -> PyStrings.lstrip(s, a.string(0, "chars", null));
            case "rstrip" -> PyStrings.rstrip(s, a.string(0, "chars", null));
            case "split" -> new ArrayList<Object>(PyStrings.split(s, a.string(0, "sep", null), a.integer(1, "maxsplit", -1)));
            case "startswith" -> affixes(a.get(0, "prefix", null), name).stream().anyMatch(s::startsWith);
            case "endswith" -> affixes(a.get(0, "suffix", null), name).stream().anyMatch(s::endsWith);
            case "replace" -> replace(s, a.string(0, "old", null), a.string(1, "new", null), a.integer(2, "count", -1));
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> PyStrings.title(s);
            case "capitalize" -> PyStrings.capitalize(s);
            case "find" -> {
                int at = s.indexOf(a.string(0, "sub", null));
                yield at < 0 ? -1L : (long) s.codePointCount(0, at);
            }
            case "count" -> (long) count(s, a.string(0, "sub", null));
            case "join" -> {
                StringBuilder out = new StringBuilder();
                for (Object item : Values.iterate(a.get(0, "iterable", null))) {
                    if (!(item instanceof String text)) {
                        throw new TemplateRenderException("sequence item: expected str instance, " + Values.typeName(item) + " found");
                    }
                    out.append(out.isEmpty() ? "" : s).append(text);
                }
                yield out.toString();
            }
            case "isdigit" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && PyStrings.isBlank(s, 0);
            default -> throw new IllegalStateException("unbound string method " + name);
        };
    }

    /** The prefix (or suffix) argument: one string, or a tuple of them (a list here). */
    private static List<String> affixes(Object v, String method) {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
            return l.stream().map(x -> (String) x).toList();
        }
        throw new TemplateRenderException(method + " first arg must be str or a tuple of str, not " + Values.typeName(v));
    }

    private static String replace(String s, String old, String replacement, long count) {
        if (old == null || replacement == null) {
            throw new TemplateRenderException("replace() takes the old and the new string");
        }
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (long done = 0; done < count; done++) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            if (old.isEmpty()) {
                if (from >= s.length()) {
                    return out.append(s.substring(from)).toString();
                }
                out.appendCodePoint(s.codePointAt(from));
                from += Character.charCount(s.codePointAt(from));
            }
        }
        return out.append(s.substring(from)).toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return PyStrings.length(s) + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static Object dictMethod(Map<?, ?> m, String name, Arguments a) {
        return switch (name) {
            case "items" -> {
                List<Object> pairs = new ArrayList<>(m.size());
                m.forEach((k, v) -> pairs.add(java.util.Arrays.asList(k, v)));
                yield pairs;
            }
            case "keys" -> new ArrayList<Object>(m.keySet());
            case "values" -> new ArrayList<Object>(m.values());
            case "get" -> {
                Object key = a.get(0, "key", null);
                yield m.containsKey(key) ? m.get(key) : a.get(1, "default", null);
            }
            default -> throw new IllegalStateException("unbound dict method " + name);
        };
    }
}
