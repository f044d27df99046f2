package dev.streamformer.chat.jinja;

import java.util.List;

/** The statements of a template, as the parser builds them; {@link Interpreter} renders them in order. */
sealed interface Node {

    /** Literal text, copied to the output. */
    record Text(String text) implements Node {}

    /** {@code {{ expression }}}. */
    record Output(Expr expression) implements Node {}

    /** {@code {% if %}…{% elif %}…{% else %}…{% endif %}}: the first branch whose condition holds; null condition = else. */
    record If(List<Branch> branches) implements Node {}

    record Branch(Expr condition, List<Node> body) {}

    /**
     * {@code {% for targets in iterable if filter %}…{% else %}…{% endfor %}}: one target, or several unpacked
     * from each item; {@code filter} (may be null) drops items before {@code loop} counts them.
     */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int line)
            implements Node {}

    /** {@code {% set a = x %}} or {@code {% set a, b = x %}}. */
    record Set(List<String> targets, Expr value, int line) implements Node {}

    /** {@code {% set ns.attribute = x %}}: the only way to change a value from inside a loop. */
    record SetAttribute(String namespace, String attribute, Expr value, int line) implements Node {}

    /** {@code {% set name %}…{% endset %}}: the rendered body as a string. */
    record SetBlock(String target, List<Node> body) implements Node {}

    /** {@code {% macro name(a, b=default) %}…{% endmacro %}}. */
    record Macro(String name, List<String> parameters, List<Expr> defaults, List<Node> body) implements Node {}

    /** {@code {% break %}} and {@code {% continue %}} (Jinja2's loopcontrols extension). */
    record LoopControl(boolean isBreak) implements Node {}

    /** {@code {% generation %}…{% endgeneration %}} (transformers' assistant-mask marker): renders its body. */
    record Generation(List<Node> body) implements Node {}
}
