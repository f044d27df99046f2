package dev.streamformer.chat.jinja;

import java.util.List;
import java.util.Map;

/**
 * Jinja2's built-in tests ({@code value is name(args)}), with Jinja2's (that is, Python's) notion of each type:
 * {@code number} includes booleans, {@code iterable} and {@code sequence} hold for strings, dicts and undefined values,
 * {@code false} and {@code true} are identity checks ({@code 0 is false} does not hold). A test missing here makes
 * {@link Template#parse} fail, naming it.
 */
final class Tests {

    private Tests() {}

    @FunctionalInterface
    private interface Test {
        boolean test(Object value, List<Object> args);
    }

    private static final Map<String, Test> TESTS = Map.ofEntries(
            Map.entry("defined", (v, a) -> !(v instanceof Undefined)),
            Map.entry("undefined", (v, a) -> v instanceof Undefined),
            Map.entry("none", (v, a) -> v == null),
            Map.entry("boolean", (v, a) -> v instanceof Boolean),
            Map.entry("false", (v, a) -> Boolean.FALSE.equals(v)),
            Map.entry("true", (v, a) -> Boolean.TRUE.equals(v)),
            Map.entry("integer", (v, a) -> v instanceof Long),
            Map.entry("float", (v, a) -> v instanceof Double),
            Map.entry("number", (v, a) -> Values.isNumber(v)),
            Map.entry("string", (v, a) -> v instanceof String),
            Map.entry("mapping", (v, a) -> v instanceof Map<?, ?>),
            Map.entry("iterable", (v, a) -> v instanceof List<?> || v instanceof Map<?, ?> || v instanceof String
                    || v instanceof Undefined),
            Map.entry("sequence", (v, a) -> v instanceof List<?> || v instanceof Map<?, ?> || v instanceof String
                    || v instanceof Undefined),
            Map.entry("callable", (v, a) -> v instanceof TemplateFunction),
            Map.entry("odd", (v, a) -> Math.floorMod(integer(v), 2) == 1),
            Map.entry("even", (v, a) -> Math.floorMod(integer(v), 2) == 0),
            Map.entry("divisibleby", (v, a) -> Math.floorMod(integer(v), integer(argument(a, "divisibleby"))) == 0),
            Map.entry("eq", (v, a) -> Values.equal(v, argument(a, "eq"))),
            Map.entry("equalto", (v, a) -> Values.equal(v, argument(a, "equalto"))),
            Map.entry("==", (v, a) -> Values.equal(v, argument(a, "=="))),
            Map.entry("ne", (v, a) -> !Values.equal(v, argument(a, "ne"))),
            Map.entry("!=", (v, a) -> !Values.equal(v, argument(a, "!="))),
            Map.entry("lt", (v, a) -> Values.compare(v, argument(a, "lt"), "<") < 0),
            Map.entry("lessthan", (v, a) -> Values.compare(v, argument(a, "lessthan"), "<") < 0),
            Map.entry("<", (v, a) -> Values.compare(v, argument(a, "<"), "<") < 0),
            Map.entry("le", (v, a) -> Values.compare(v, argument(a, "le"), "<=") <= 0),
            Map.entry("<=", (v, a) -> Values.compare(v, argument(a, "<="), "<=") <= 0),
            Map.entry("gt", (v, a) -> Values.compare(v, argument(a, "gt"), ">") > 0),
            Map.entry("greaterthan", (v, a) -> Values.compare(v, argument(a, "greaterthan"), ">") > 0),
            Map.entry(">", (v, a) -> Values.compare(v, argument(a, ">"), ">") > 0),
            Map.entry("ge", (v, a) -> Values.compare(v, argument(a, "ge"), ">=") >= 0),
            Map.entry(">=", (v, a) -> Values.compare(v, argument(a, ">="), ">=") >= 0),
            Map.entry("in", (v, a) -> Values.contains(argument(a, "in"), v)),
            Map.entry("sameas", (v, a) -> sameAs(v, argument(a, "sameas"))),
            Map.entry("lower", (v, a) -> v instanceof String s && s.equals(s.toLowerCase(java.util.Locale.ROOT))),
            Map.entry("upper", (v, a) -> v instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT))));

    static boolean exists(String name) {
        return TESTS.containsKey(name);
    }

    static boolean apply(String name, Object value, List<Object> args) {
        return TESTS.get(name).test(value, args);
    }

    private static Object argument(List<Object> args, String test) {
        if (args.size() != 1) {
            throw new TemplateRenderException("the '" + test + "' test takes one argument, got " + args.size());
        }
        return args.getFirst();
    }

    private static long integer(Object v) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!Values.isIntegral(v)) {
            throw new TemplateRenderException("expected an integer, got " + Values.typeName(v));
        }
        return Values.asLong(v);
    }

    /** Python's {@code is}: None and the booleans are singletons; strings and numbers compare by value here (CPython interns small ones). */
    private static boolean sameAs(Object v, Object other) {
        if (v == null || other == null || v instanceof Boolean || other instanceof Boolean) {
            return v == other || (v != null && v.equals(other));
        }
        if (v instanceof String || v instanceof Long || v instanceof Double) {
            return v.equals(other);
        }
        return v == other;
    }
}
