package dev.streamformer.chat.jinja;

/**
 * One lexical unit of a template: a piece of literal text, a tag delimiter, or a piece of an expression.
 *
 * @param kind  what the token is
 * @param value the literal text, the decoded string literal, the name, the number's digits or the operator
 * @param line  1-based line of the template where the token starts, for error messages
 */
record Token(Kind kind, String value, int line) {

    enum Kind { TEXT, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, END }

    boolean is(Kind k, String v) {
        return kind == k && value.equals(v);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    boolean isOperator(String op) {
        return is(Kind.OPERATOR, op);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "end of template";
            case BLOCK_END -> "'%}'";
            case VARIABLE_END -> "'}}'";
            case STRING -> "string";
            default -> "'" + value + "'";
        };
    }
}
