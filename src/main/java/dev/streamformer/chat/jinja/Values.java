package dev.streamformer.chat.jinja;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's rules for template values, which Jinja2 inherits: truth, {@code str()} and {@code repr()}, equality and
 * ordering, {@code len}, iteration, {@code in}, attribute and item lookup, slicing and arithmetic.
 *
 * <p>Values are Java objects standing for Python ones: {@code null} (None), {@link Boolean}, {@link Long} (int),
 * {@link Double} (float), {@link String}, {@link List} (list and tuple), {@link Map} (dict), plus the engine's own
 * {@link Undefined}, {@link Namespace}, {@link LoopContext} and {@link TemplateFunction}. Python's bool is an int,
 * so booleans take part in arithmetic and compare equal to 0 and 1.
 */
final class Values {

    private Values() {}

    // ---------------------------------------------------------------- conversion from Java

    /** A caller's Java value as a template value: ints widen to Long, floats to Double, collections and arrays copy to lists. */
    static Object fromJava(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Double d -> d;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Character c -> c.toString();
            case Map<?, ?> m -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                m.forEach((k, val) -> copy.put(fromJava(k), fromJava(val)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                c.forEach(item -> copy.add(fromJava(item)));
                yield copy;
            }
            case Object[] array -> fromJava(java.util.Arrays.asList(array));
            case Undefined u -> u;
            case Namespace n -> n;
            case LoopContext l -> l;
            case TemplateFunction f -> f;
            default -> throw new IllegalArgumentException("A " + v.getClass().getName()
                    + " cannot be a template value: pass strings, numbers, booleans, null, lists or maps.");
        };
    }

    // ---------------------------------------------------------------- truth, text, type

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    /** Python's {@code str()}: what {@code {{ v }}} prints. */
    static String str(Object v) {
        return switch (v) {
            case String s -> s;
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Double d -> pythonFloat(d);
            case Undefined u -> "";
            case List<?> l -> repr(l);
            case Map<?, ?> m -> repr(m);
            default -> v.toString();
        };
    }

    /** Python's {@code repr()}: strings quoted, containers with their items' reprs. */
    static String repr(Object v) {
        return switch (v) {
            case String s -> PyStrings.repr(s);
            case List<?> l -> {
                StringBuilder out = new StringBuilder("[");
                for (Object item : l) {
                    out.append(out.length() > 1 ? ", " : "").append(repr(item));
                }
                yield out.append(']').toString();
            }
            case Map<?, ?> m -> {
                StringBuilder out = new StringBuilder("{");
                m.forEach((k, val) -> out.append(out.length() > 1 ? ", " : "").append(repr(k)).append(": ").append(repr(val)));
                yield out.append('}').toString();
            }
            case Undefined u -> "Undefined";
            case null, default -> str(v);
        };
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, {@code 1.0}, {@code 1e-05}, {@code 1e+16}, {@code inf}. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's type name, for error messages. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopContext l -> "LoopContext";
            default -> "function";
        };
    }

    /** How Jinja2 names an object in "has no attribute" messages: {@code dict object}, {@code None}. */
    static String objectDescription(Object v) {
        return switch (v) {
            case null -> "None";
            case Namespace n -> "jinja2.utils.Namespace object";
            case LoopContext l -> "jinja2.runtime.LoopContext object";
            default -> typeName(v) + " object";
        };
    }

    // ---------------------------------------------------------------- numbers

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long asLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    static double asDouble(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
    }

    // ---------------------------------------------------------------- equality and order

    static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b) ? asLong(a) == asLong(b) : asDouble(a) == asDouble(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Python's ordering for {@code < <= > >=}: numbers, strings (by code point) and lists; anything else fails. */
    static int compare(Object a, Object b, String operator) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            return isIntegral(a) && isIntegral(b) ? Long.compare(asLong(a), asLong(b)) : Double.compare(asDouble(a), asDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), operator);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw new TemplateRenderException("'" + operator + "' not supported between instances of '" + typeName(a)
                + "' and '" + typeName(b) + "'");
    }

    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int c = x.codePointAt(i);
            int d = y.codePointAt(j);
            if (c != d) {
                return Integer.compare(c, d);
            }
            i += Character.charCount(c);
            j += Character.charCount(d);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    // ---------------------------------------------------------------- containers

    /** The items a for loop visits: a list's items, a dict's keys, a string's characters; undefined gives none. */
    static List<Object> iterate(Object v) {
        return switch (v) {
            case List<?> l -> {
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) l;
                yield items;
            }
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case String s -> PyStrings.characters(s);
            case Undefined u -> List.of();
            case null, default -> throw new TemplateRenderException("'" + typeName(v) + "' object is not iterable");
        };
    }

    static long length(Object v) {
        return switch (v) {
            case String s -> PyStrings.length(s);
            case List<?> l -> l.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case null, default -> throw new TemplateRenderException("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /** {@code item in container}. */
    static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    throw new TemplateRenderException("'in <string>' requires string as left operand, not " + typeName(item));
                }
                yield s.contains(sub);
            }
            case List<?> l -> l.stream().anyMatch(x -> equal(x, item));
            case Map<?, ?> m -> m.keySet().stream().anyMatch(k -> equal(k, item));
            case Undefined u -> false;
            case null, default -> throw new TemplateRenderException("argument of type '" + typeName(container) + "' is not iterable");
        };
    }

    /** {@code object.name} as Jinja2 resolves it: a method or attribute first, then the item of that name. */
    static Object attribute(Object object, String name) {
        return switch (object) {
            case Undefined u -> throw u.error();
            case Map<?, ?> m -> {
                TemplateFunction method = Methods.bind(m, name);
                if (method != null) {
                    yield method;
                }
                yield m.containsKey(name) ? m.get(name) : Undefined.attribute(m, name);
            }
            case String s -> {
                TemplateFunction method = Methods.bind(s, name);
                yield method != null ? method : Undefined.attribute(s, name);
            }
            case Namespace n -> n.get(name);
            case LoopContext l -> l.attribute(name);
            case null, default -> Undefined.attribute(object, name);
        };
    }

    /** {@code object[key]} as Jinja2 resolves it: the item first, then (for a string key) the attribute of that name. */
    static Object item(Object object, Object key) {
        if (object instanceof Undefined u) {
            throw u.error();
        }
        if (object instanceof Map<?, ?> m && m.containsKey(key)) {
            return m.get(key);
        }
        if (isIntegral(key) && (object instanceof List<?> || object instanceof String)) {
            long size = length(object);
            long index = asLong(key);
            if (index < 0) {
                index += size;
            }
            if (index < 0 || index >= size) {
                return Undefined.element(object, key);
            }
            return object instanceof List<?> l ? l.get((int) index) : codePointAt((String) object, (int) index);
        }
        if (key instanceof String name) {
            return attribute(object, name);
        }
        return Undefined.element(object, key);
    }

    private static String codePointAt(String s, int index) {
        int at = s.offsetByCodePoints(0, index);
        return Character.toString(s.codePointAt(at));
    }

    /** {@code object[start:stop:step]} with Python's rules for missing and negative bounds. */
    static Object slice(Object object, Object start, Object stop, Object step) {
        if (object instanceof Undefined u) {
            throw u.error();
        }
        long by = step == null ? 1 : sliceBound(step);
        if (by == 0) {
            throw new TemplateRenderException("slice step cannot be zero");
        }
        List<Object> items = switch (object) {
            case List<?> l -> iterate(l);
            case String s -> PyStrings.characters(s);
            case null, default -> throw new TemplateRenderException("'" + typeName(object) + "' object is not subscriptable");
        };
        long size = items.size();
        long lower = by > 0 ? 0 : -1;
        long upper = by > 0 ? size : size - 1;
        long from = start == null ? (by > 0 ? lower : upper) : clamp(sliceBound(start), size, lower, upper);
        long to = stop == null ? (by > 0 ? upper : lower) : clamp(sliceBound(stop), size, lower, upper);
        List<Object> out = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) {
            out.add(items.get((int) i));
        }
        if (object instanceof String) {
            StringBuilder s = new StringBuilder();
            out.forEach(c -> s.append((String) c));
            return s.toString();
        }
        return out;
    }

    private static long sliceBound(Object v) {
        if (!isIntegral(v)) {
            throw new TemplateRenderException("slice indices must be integers or None");
        }
        return asLong(v);
    }

    private static long clamp(long index, long size, long lower, long upper) {
        if (index < 0) {
            return Math.max(index + size, lower);
        }
        return Math.min(index, upper);
    }

    // ---------------------------------------------------------------- arithmetic

    static Object binary(String operator, Object a, Object b) {
        if (operator.equals("~")) {
            return str(a) + str(b);
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (isNumber(a) && isNumber(b)) {
            return arithmetic(operator, a, b);
        }
        if (operator.equals("+")) {
            if (a instanceof String x && b instanceof String y) {
                return x + y;
            }
            if (a instanceof List<?> x && b instanceof List<?> y) {
                List<Object> joined = new ArrayList<>(x);
                joined.addAll(y);
                return joined;
            }
            if (a instanceof String || a instanceof List<?>) {
                throw new TemplateRenderException("can only concatenate " + typeName(a) + " (not \"" + typeName(b)
                        + "\") to " + typeName(a));
            }
        }
        if (operator.equals("*") && (isIntegral(a) || isIntegral(b))) {
            Object sequence = isIntegral(a) ? b : a;
            long times = asLong(isIntegral(a) ? a : b);
            if (sequence instanceof String s) {
                return times <= 0 ? "" : s.repeat((int) times);
            }
            if (sequence instanceof List<?> l) {
                List<Object> repeated = new ArrayList<>();
                for (long i = 0; i < times; i++) {
                    repeated.addAll(l);
                }
                return repeated;
            }
        }
        throw new TemplateRenderException("unsupported operand type(s) for " + operator + ": '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static Object arithmetic(String operator, Object a, Object b) {
        boolean integers = isIntegral(a) && isIntegral(b);
        if (integers) {
            long x = asLong(a);
            long y = asLong(b);
            try {
                switch (operator) {
                    case "+": return Math.addExact(x, y);
                    case "-": return Math.subtractExact(x, y);
                    case "*": return Math.multiplyExact(x, y);
                    case "//":
                        if (y == 0) {
                            throw new TemplateRenderException("integer division or modulo by zero");
                        }
                        return Math.floorDiv(x, y);
                    case "%":
                        if (y == 0) {
                            throw new TemplateRenderException("integer division or modulo by zero");
                        }
                        return Math.floorMod(x, y);
                    case "**":
                        if (y >= 0) {
                            return BigInteger.valueOf(x).pow((int) y).longValueExact();
                        }
                        break;
                    default:
                        break;
                }
            } catch (ArithmeticException overflow) {
                throw new TemplateRenderException("integer result too large for this engine (64 bits)");
            }
        }
        double x = asDouble(a);
        double y = asDouble(b);
        return switch (operator) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "**" -> Math.pow(x, y);
            case "/", "//", "%" -> {
                if (y == 0) {
                    throw new TemplateRenderException(operator.equals("/") ? "division by zero" : "float division or modulo by zero");
                }
                yield switch (operator) {
                    case "/" -> x / y;
                    case "//" -> Math.floor(x / y);
                    default -> x - y * Math.floor(x / y);
                };
            }
            default -> throw new IllegalStateException("unknown operator " + operator);
        };
    }

    static Object negate(Object v) {
        return switch (v) {
            case Undefined u -> throw u.error();
            case Double d -> -d;
            case Long l -> -l;
            case Boolean b -> b ? -1L : 0L;
            case null, default -> throw new TemplateRenderException("bad operand type for unary -: '" + typeName(v) + "'");
        };
    }
}
