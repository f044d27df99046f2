package dev.streamformer.chat.jinja;

import java.util.List;

/** The expressions of the template language, as the parser builds them; {@link Interpreter} evaluates them. */
sealed interface Expr {

    /** A string, number, boolean or none. */
    record Literal(Object value) implements Expr {}

    /** A variable read by name. */
    record Name(String name, int line) implements Expr {}

    /** {@code [a, b]}, and {@code (a, b)} (tuples are lists here). */
    record ListLiteral(List<Expr> items) implements Expr {}

    /** {@code {k: v, ...}}. */
    record DictLiteral(List<Expr> keys, List<Expr> values) implements Expr {}

    /** {@code object.name}: attribute first, then item (Jinja2's rule). */
    record Attribute(Expr object, String name, int line) implements Expr {}

    /** {@code object[key]}: item first, then attribute (Jinja2's rule). */
    record Item(Expr object, Expr key, int line) implements Expr {}

    /** {@code object[start:stop:step]}; absent parts are null. */
    record Slice(Expr object, Expr start, Expr stop, Expr step, int line) implements Expr {}

    /** {@code callee(args, name=value)}. */
    record Call(Expr callee, List<Expr> args, List<Keyword> keywords, int line) implements Expr {}

    /** One {@code name=value} argument. */
    record Keyword(String name, Expr value) {}

    /** {@code value | name(args)}. */
    record Filter(Expr value, String name, List<Expr> args, List<Keyword> keywords, int line) implements Expr {}

    /** {@code value is [not] name(args)}. */
    record Test(Expr value, String name, List<Expr> args, boolean negated, int line) implements Expr {}

    /** {@code not operand}, {@code -operand}, {@code +operand}. */
    record Unary(String operator, Expr operand, int line) implements Expr {}

    /** Arithmetic and {@code ~}: {@code + - * / // % ** ~}. */
    record Binary(String operator, Expr left, Expr right, int line) implements Expr {}

    /** {@code and} / {@code or}, which return one of their operands, as in Python. */
    record Logical(boolean isAnd, Expr left, Expr right) implements Expr {}

    /** A comparison chain {@code a < b <= c}, as Python evaluates it; operators include {@code in} and {@code not in}. */
    record Compare(Expr first, List<String> operators, List<Expr> operands, int line) implements Expr {}

    /** {@code then if condition else otherwise}; {@code otherwise} null gives an undefined value. */
    record Conditional(Expr condition, Expr then, Expr otherwise) implements Expr {}
}
