package dev.streamformer.chat.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a parsed template: walks the statements, appending text to the output, and evaluates expressions with
 * {@link Values}' Python semantics. Stateless: every render works on its own {@link Scope}s and output buffer.
 */
final class Interpreter {

    private Interpreter() {}

    /** How a statement list ended: normally, or at a {@code break} or {@code continue} for the enclosing loop. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    static String render(List<Node> nodes, Scope scope) {
        StringBuilder out = new StringBuilder();
        render(nodes, scope, out);
        return out.toString();
    }

    private static Flow render(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow = render(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private static Flow render(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Output o -> out.append(Values.str(evaluate(o.expression(), scope)));
            case Node.If i -> {
                for (Node.Branch branch : i.branches()) {
                    if (branch.condition() == null || Values.truthy(evaluate(branch.condition(), scope))) {
                        return render(branch.body(), scope, out);
                    }
                }
            }
            case Node.For f -> loop(f, scope, out);
            case Node.Set s -> assign(s.targets(), evaluate(s.value(), scope), scope);
            case Node.SetAttribute s -> {
                if (!(scope.lookup(s.namespace()) instanceof Namespace ns)) {
                    throw new TemplateRenderException("cannot assign attribute on non-namespace object");
                }
                ns.set(s.attribute(), evaluate(s.value(), scope));
            }
            case Node.SetBlock s -> scope.set(s.target(), render(s.body(), scope));
            case Node.Macro m -> scope.set(m.name(), macro(m, scope));
            case Node.LoopControl c -> {
                return c.isBreak() ? Flow.BREAK : Flow.CONTINUE;
            }
            case Node.Generation g -> {
                return render(g.body(), scope, out);
            }
        }
        return Flow.NORMAL;
    }

    private static void loop(Node.For f, Scope scope, StringBuilder out) {
        List<Object> items = Values.iterate(evaluate(f.iterable(), scope));
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                assign(f.targets(), item, probe);
                if (Values.truthy(evaluate(f.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            render(f.otherwise(), new Scope(scope), out);
            return;
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope);
            assign(f.targets(), items.get(i), iteration);
            loop.moveTo(i);
            iteration.set("loop", loop);
            if (render(f.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
    }

    /** Binds one name, or unpacks a sequence into several ({@code for k, v in d.items()}). */
    private static void assign(List<String> targets, Object value, Scope scope) {
        if (targets.size() == 1) {
            scope.set(targets.getFirst(), value);
            return;
        }
        List<Object> parts = Values.iterate(value);
        if (parts.size() != targets.size()) {
            throw new TemplateRenderException(parts.size() > targets.size()
                    ? "too many values to unpack (expected " + targets.size() + ")"
                    : "not enough values to unpack (expected " + targets.size() + ", got " + parts.size() + ")");
        }
        for (int i = 0; i < targets.size(); i++) {
            scope.set(targets.get(i), parts.get(i));
        }
    }

    /** A macro as a function: arguments bind by position, then by name, then to defaults evaluated at call time. */
    private static TemplateFunction macro(Node.Macro m, Scope definition) {
        return (args, keywords) -> {
            if (args.size() > m.parameters().size()) {
                throw new TemplateRenderException("macro '" + m.name() + "' takes not more than "
                        + m.parameters().size() + " argument(s)");
            }
            Scope call = new Scope(definition);
            for (int i = 0; i < m.parameters().size(); i++) {
                String parameter = m.parameters().get(i);
                Object value;
                if (i < args.size()) {
                    value = args.get(i);
                } else if (keywords.containsKey(parameter)) {
                    value = keywords.get(parameter);
                } else if (m.defaults().get(i) != null) {
                    value = evaluate(m.defaults().get(i), call);
                } else {
                    value = Undefined.withMessage("parameter " + PyStrings.repr(parameter) + " was not provided");
                }
                call.set(parameter, value);
            }
            for (String keyword : keywords.keySet()) {
                if (!m.parameters().contains(keyword)) {
                    throw new TemplateRenderException("macro '" + m.name() + "' takes no keyword argument '" + keyword + "'");
                }
            }
            return render(m.body(), call);
        };
    }

    // ---------------------------------------------------------------- expressions

    static Object evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal l -> l.value();
            case Expr.Name n -> scope.lookup(n.name());
            case Expr.ListLiteral l -> evaluateAll(l.items(), scope);
            case Expr.DictLiteral d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    map.put(evaluate(d.keys().get(i), scope), evaluate(d.values().get(i), scope));
                }
                yield map;
            }
            case Expr.Attribute a -> Values.attribute(evaluate(a.object(), scope), a.name());
            case Expr.Item i -> Values.item(evaluate(i.object(), scope), evaluate(i.key(), scope));
            case Expr.Slice s -> Values.slice(evaluate(s.object(), scope), evaluateOrNull(s.start(), scope),
                    evaluateOrNull(s.stop(), scope), evaluateOrNull(s.step(), scope));
            case Expr.Call c -> call(evaluate(c.callee(), scope), evaluateAll(c.args(), scope),
                    evaluateKeywords(c.keywords(), scope));
            case Expr.Filter f -> Filters.apply(f.name(), evaluate(f.value(), scope),
                    new Arguments(f.name(), evaluateAll(f.args(), scope), evaluateKeywords(f.keywords(), scope)));
            case Expr.Test t -> Tests.apply(t.name(), evaluate(t.value(), scope), evaluateAll(t.args(), scope)) != t.negated();
            case Expr.Unary u -> unary(u.operator(), evaluate(u.operand(), scope));
            case Expr.Binary b -> Values.binary(b.operator(), evaluate(b.left(), scope), evaluate(b.right(), scope));
            case Expr.Logical l -> {
                Object left = evaluate(l.left(), scope);
                yield Values.truthy(left) == l.isAnd() ? evaluate(l.right(), scope) : left;
            }
            case Expr.Compare c -> compare(c, scope);
            case Expr.Conditional c -> {
                if (Values.truthy(evaluate(c.condition(), scope))) {
                    yield evaluate(c.then(), scope);
                }
                yield c.otherwise() != null ? evaluate(c.otherwise(), scope)
                        : Undefined.withMessage("the inline if-expression evaluated to false and no else section was defined.");
            }
        };
    }

    private static Object evaluateOrNull(Expr expr, Scope scope) {
        return expr == null ? null : evaluate(expr, scope);
    }

    private static List<Object> evaluateAll(List<Expr> exprs, Scope scope) {
        List<Object> values = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            values.add(evaluate(e, scope));
        }
        return values;
    }

    private static Map<String, Object> evaluateKeywords(List<Expr.Keyword> keywords, Scope scope) {
        if (keywords.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Expr.Keyword k : keywords) {
            values.put(k.name(), evaluate(k.value(), scope));
        }
        return values;
    }

    private static Object call(Object callee, List<Object> args, Map<String, Object> keywords) {
        return switch (callee) {
            case TemplateFunction f -> Values.fromJava(f.call(args, keywords));
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRenderException("'" + Values.typeName(callee) + "' object is not callable");
        };
    }

    private static Object unary(String operator, Object v) {
        return switch (operator) {
            case "not" -> !Values.truthy(v);
            case "-" -> Values.negate(v);
            default -> {
                if (v instanceof Undefined u) {
                    throw u.error();
                }
                if (!Values.isNumber(v)) {
                    throw new TemplateRenderException("bad operand type for unary +: '" + Values.typeName(v) + "'");
                }
                yield v instanceof Boolean ? Values.asLong(v) : v;
            }
        };
    }

    /** A comparison chain: {@code a < b < c} is {@code a < b and b < c}, each operand evaluated once. */
    private static Object compare(Expr.Compare c, Scope scope) {
        Object left = evaluate(c.first(), scope);
        for (int i = 0; i < c.operators().size(); i++) {
            Object right = evaluate(c.operands().get(i), scope);
            String op = c.operators().get(i);
            boolean holds = switch (op) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "in" -> Values.contains(right, left);
                case "not in" -> !Values.contains(right, left);
                case "<" -> Values.compare(left, right, op) < 0;
                case "<=" -> Values.compare(left, right, op) <= 0;
                case ">" -> Values.compare(left, right, op) > 0;
                default -> Values.compare(left, right, op) >= 0;
            };
            if (!holds) {
                return false;
            }
            left = right;
        }
        return true;
    }
}
