package dev.streamformer.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Jinja2 template, parsed once and rendered many times, with the environment Hugging Face uses for chat templates:
 * {@code trim_blocks} and {@code lstrip_blocks} on, loop controls ({@code break}, {@code continue}) enabled, no
 * autoescaping, {@code tojson} as transformers defines it. Immutable and thread-safe.
 *
 * <p>Supported: {@code if/elif/else}, {@code for} (with {@code else}, an {@code if} filter, unpacking, {@code loop.*}),
 * {@code set} (incl. {@code ns.attr} and block form), {@code macro}, {@code generation}, comments and whitespace
 * control; Python expressions with slicing, string and dict methods, {@code ~}, inline if; the filters of
 * {@link Filters} and tests of {@link Tests}; the globals {@code namespace}, {@code range} and {@code dict}.
 * Not supported (no chat template we know needs them): {@code include}, {@code extends}, {@code call}, {@code raw},
 * {@code filter} blocks, recursive loops, {@code %} string formatting.
 */
public final class Template {

    /** Jinja2's sandbox refuses longer ranges, so that a template cannot allocate without bound. */
    private static final long MAX_RANGE = 100_000;

    private final List<Node> nodes;

    private Template(List<Node> nodes) {
        this.nodes = nodes;
    }

    /**
     * Parses a template.
     *
     * @throws TemplateSyntaxException when it is not valid Jinja or uses an unsupported tag, filter or test
     */
    public static Template parse(String source) {
        return new Template(Parser.parse(source));
    }

    /**
     * Renders the template with these variables: Java strings, numbers, booleans, null, lists and maps (converted to
     * their Python equivalents), or {@link TemplateFunction}s the template may call.
     *
     * @throws TemplateRenderException when the template fails (undefined value used, wrong types, …); an exception
     *                                 thrown by a {@link TemplateFunction} propagates as it is
     */
    public String render(Map<String, ?> variables) {
        Scope globals = new Scope(null);
        globals.set("namespace", (TemplateFunction) Template::namespace);
        globals.set("range", (TemplateFunction) Template::range);
        globals.set("dict", (TemplateFunction) (args, keywords) -> new LinkedHashMap<Object, Object>(keywords));
        Scope scope = new Scope(globals);
        variables.forEach((name, value) -> scope.set(name, Values.fromJava(value)));
        return Interpreter.render(nodes, scope);
    }

    /** {@code namespace(a=1)} or {@code namespace(some_dict, a=1)}. */
    private static Object namespace(List<Object> args, Map<String, Object> keywords) {
        Namespace ns = new Namespace();
        for (Object arg : args) {
            if (!(arg instanceof Map<?, ?> m)) {
                throw new TemplateRenderException("namespace() takes a dict and keyword arguments, not " + Values.typeName(arg));
            }
            m.forEach((k, v) -> ns.set(Values.str(k), v));
        }
        keywords.forEach(ns::set);
        return ns;
    }

    /** Python's {@code range(stop)} and {@code range(start, stop[, step])}, as a list. */
    private static Object range(List<Object> args, Map<String, Object> keywords) {
        if (args.isEmpty() || args.size() > 3 || !args.stream().allMatch(Values::isIntegral)) {
            throw new TemplateRenderException("range() takes one to three integers");
        }
        long start = args.size() == 1 ? 0 : Values.asLong(args.get(0));
        long stop = Values.asLong(args.get(args.size() == 1 ? 0 : 1));
        long step = args.size() == 3 ? Values.asLong(args.get(2)) : 1;
        if (step == 0) {
            throw new TemplateRenderException("range() arg 3 must not be zero");
        }
        long count = step > 0 ? Math.max(0, Math.ceilDiv(stop - start, step)) : Math.max(0, Math.ceilDiv(start - stop, -step));
        if (count > MAX_RANGE) {
            throw new TemplateRenderException("Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + MAX_RANGE + ").");
        }
        List<Object> values = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            values.add(start + i * step);
        }
        return values;
    }
}
