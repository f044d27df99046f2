package dev.streamformer.chat.jinja;

import dev.streamformer.chat.jinja.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the statement tree from tokens, by recursive descent with Jinja2's operator precedence (lowest first):
 * {@code x if c else y}, {@code or}, {@code and}, {@code not}, comparisons ({@code == != < <= > >= in, not in}),
 * {@code + -}, {@code ~}, {@code * / // %}, {@code **}, unary {@code - +}, then a primary with its postfixes
 * ({@code .name}, {@code [key]}, {@code [a:b:c]}, calls) and its filters ({@code |f}) and tests ({@code is t}).
 * So {@code messages|length - 1} is {@code (messages|length) - 1}, and {@code not x is defined} is {@code not (x is defined)}.
 * Filter and test names are checked here, so a template with an unknown one fails at load, not per event.
 */
final class Parser {

    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    /** Jinja2 tags this engine does not implement (chat templates do not use them): named in the error. */
    private static final Set<String> UNSUPPORTED = Set.of("include", "import", "from", "extends", "block", "call",
            "filter", "raw", "with", "autoescape", "do");

    private final List<Token> tokens;
    private int pos;
    private int loopDepth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Node> parse(String template) {
        Parser parser = new Parser(Lexer.tokenize(template));
        List<Node> nodes = parser.body(Set.of());
        parser.expect(Kind.END, "");
        return nodes;
    }

    // ---------------------------------------------------------------- statements

    /** Nodes up to (not including) a block tag named in {@code endTags}, or the end of the template. */
    private List<Node> body(Set<String> endTags) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case END -> {
                    if (!endTags.isEmpty()) {
                        throw error("unexpected end of template, expected " + String.join(" or ", sortedTags(endTags)), t);
                    }
                    return nodes;
                }
                case TEXT -> {
                    next();
                    nodes.add(new Node.Text(t.value()));
                }
                case VARIABLE_BEGIN -> {
                    next();
                    nodes.add(new Node.Output(expression()));
                    expect(Kind.VARIABLE_END, "");
                }
                case BLOCK_BEGIN -> {
                    Token tag = tokens.get(pos + 1);
                    if (tag.kind() == Kind.NAME && endTags.contains(tag.value())) {
                        return nodes;
                    }
                    next();
                    nodes.add(statement());
                }
                default -> throw error("unexpected " + t.describe(), t);
            }
        }
    }

    private static List<String> sortedTags(Set<String> tags) {
        return tags.stream().sorted().map(s -> "'" + s + "'").toList();
    }

    /** The block tag after {@code {%}, through its closing {@code %}}. */
    private Node statement() {
        Token tag = expect(Kind.NAME, null);
        return switch (tag.value()) {
            case "if" -> ifStatement();
            case "for" -> forStatement(tag);
            case "set" -> setStatement(tag);
            case "macro" -> macro();
            case "break", "continue" -> loopControl(tag);
            case "generation" -> {
                expect(Kind.BLOCK_END, "");
                List<Node> body = body(Set.of("endgeneration"));
                endTag("endgeneration");
                yield new Node.Generation(body);
            }
            default -> throw error(UNSUPPORTED.contains(tag.value())
                    ? "the '" + tag.value() + "' tag is not supported in chat templates"
                    : "unknown tag '" + tag.value() + "'", tag);
        };
    }

    /** Consumes {@code {% name %}}, the tag that closes or continues a block. */
    private void endTag(String name) {
        expect(Kind.BLOCK_BEGIN, "");
        expect(Kind.NAME, name);
        expect(Kind.BLOCK_END, "");
    }

    private Node ifStatement() {
        List<Node.Branch> branches = new ArrayList<>();
        Expr condition = expression();
        while (true) {
            expect(Kind.BLOCK_END, "");
            List<Node> body = body(Set.of("elif", "else", "endif"));
            branches.add(new Node.Branch(condition, body));
            expect(Kind.BLOCK_BEGIN, "");
            Token tag = next();
            switch (tag.value()) {
                case "elif" -> condition = expression();
                case "else" -> {
                    expect(Kind.BLOCK_END, "");
                    branches.add(new Node.Branch(null, body(Set.of("endif"))));
                    endTag("endif");
                    return new Node.If(branches);
                }
                default -> {
                    expect(Kind.BLOCK_END, "");
                    return new Node.If(branches);
                }
            }
        }
    }

    private Node forStatement(Token tag) {
        List<String> targets = targets();
        expect(Kind.NAME, "in");
        Expr iterable = or();
        Expr filter = null;
        if (peek().isName("if")) {
            next();
            filter = expression();
        }
        if (peek().isName("recursive")) {
            throw error("recursive loops are not supported in chat templates", peek());
        }
        expect(Kind.BLOCK_END, "");
        loopDepth++;
        List<Node> body = body(Set.of("else", "endfor"));
        loopDepth--;
        List<Node> otherwise = List.of();
        expect(Kind.BLOCK_BEGIN, "");
        if (next().isName("else")) {
            expect(Kind.BLOCK_END, "");
            otherwise = body(Set.of("endfor"));
            endTag("endfor");
        } else {
            expect(Kind.BLOCK_END, "");
        }
        return new Node.For(targets, iterable, filter, body, otherwise, tag.line());
    }

    /** {@code a} or {@code a, b} or {@code (a, b)}: the names a for loop or a set assigns. */
    private List<String> targets() {
        boolean parenthesized = peek().isOperator("(");
        if (parenthesized) {
            next();
        }
        List<String> names = new ArrayList<>();
        names.add(expect(Kind.NAME, null).value());
        while (peek().isOperator(",")) {
            next();
            names.add(expect(Kind.NAME, null).value());
        }
        if (parenthesized) {
            expect(Kind.OPERATOR, ")");
        }
        return names;
    }

    private Node setStatement(Token tag) {
        if (tokens.get(pos + 1).isOperator(".")) {
            String namespace = expect(Kind.NAME, null).value();
            next();
            String attribute = expect(Kind.NAME, null).value();
            expect(Kind.OPERATOR, "=");
            Expr value = expression();
            expect(Kind.BLOCK_END, "");
            return new Node.SetAttribute(namespace, attribute, value, tag.line());
        }
        List<String> targets = targets();
        if (targets.size() == 1 && peek().kind() == Kind.BLOCK_END) {
            next();
            List<Node> body = body(Set.of("endset"));
            endTag("endset");
            return new Node.SetBlock(targets.getFirst(), body);
        }
        expect(Kind.OPERATOR, "=");
        Expr value = tuple();
        expect(Kind.BLOCK_END, "");
        return new Node.Set(targets, value, tag.line());
    }

    private Node macro() {
        String name = expect(Kind.NAME, null).value();
        expect(Kind.OPERATOR, "(");
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        while (!peek().isOperator(")")) {
            if (!parameters.isEmpty()) {
                expect(Kind.OPERATOR, ",");
            }
            parameters.add(expect(Kind.NAME, null).value());
            Expr fallback = null;
            if (peek().isOperator("=")) {
                next();
                fallback = expression();
            } else if (defaults.stream().anyMatch(d -> d != null)) {
                throw error("a macro parameter without a default follows one with a default", peek());
            }
            defaults.add(fallback);
        }
        next();
        expect(Kind.BLOCK_END, "");
        int outerLoops = loopDepth;
        loopDepth = 0;
        List<Node> body = body(Set.of("endmacro"));
        loopDepth = outerLoops;
        endTag("endmacro");
        return new Node.Macro(name, parameters, defaults, body);
    }

    private Node loopControl(Token tag) {
        if (loopDepth == 0) {
            throw error("'" + tag.value() + "' outside of a loop", tag);
        }
        expect(Kind.BLOCK_END, "");
        return new Node.LoopControl(tag.value().equals("break"));
    }

    // ---------------------------------------------------------------- expressions

    /** An expression, or a tuple of them ({@code a, b}) where Jinja2 allows one: in {@code set}. */
    private Expr tuple() {
        Expr first = expression();
        if (!peek().isOperator(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (peek().isOperator(",")) {
            next();
            items.add(expression());
        }
        return new Expr.ListLiteral(items);
    }

    /** {@code then if condition else otherwise}, the lowest precedence. */
    private Expr expression() {
        Expr then = or();
        while (peek().isName("if")) {
            next();
            Expr condition = or();
            Expr otherwise = null;
            if (peek().isName("else")) {
                next();
                otherwise = expression();
            }
            then = new Expr.Conditional(condition, then, otherwise);
        }
        return then;
    }

    private Expr or() {
        Expr left = and();
        while (peek().isName("or")) {
            next();
            left = new Expr.Logical(false, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isName("and")) {
            next();
            left = new Expr.Logical(true, left, not());
        }
        return left;
    }

    private Expr not() {
        if (peek().isName("not")) {
            Token t = next();
            return new Expr.Unary("not", not(), t.line());
        }
        return compare();
    }

    private Expr compare() {
        int line = peek().line();
        Expr first = sum();
        List<String> operators = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.OPERATOR && COMPARISONS.contains(t.value())) {
                next();
                operators.add(t.value());
            } else if (t.isName("in")) {
                next();
                operators.add("in");
            } else if (t.isName("not") && tokens.get(pos + 1).isName("in")) {
                next();
                next();
                operators.add("not in");
            } else {
                break;
            }
            operands.add(sum());
        }
        return operators.isEmpty() ? first : new Expr.Compare(first, operators, operands, line);
    }

    private Expr sum() {
        Expr left = concat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, concat(), op.line());
        }
        return left;
    }

    private Expr concat() {
        Expr left = product();
        while (peek().isOperator("~")) {
            Token op = next();
            left = new Expr.Binary("~", left, product(), op.line());
        }
        return left;
    }

    private Expr product() {
        Expr left = power();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("//") || peek().isOperator("%")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, power(), op.line());
        }
        return left;
    }

    private Expr power() {
        Expr left = unary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, unary(true), op.line());
        }
        return left;
    }

    /** Jinja2's parse_unary: a sign applies to the operand before that operand's filters; the filters then apply to the whole. */
    private Expr unary(boolean withFilters) {
        Token t = peek();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            node = new Expr.Unary(t.value(), unary(false), t.line());
        } else {
            node = primary();
        }
        node = postfix(node);
        return withFilters ? filtersAndTests(node) : node;
    }

    private Expr primary() {
        Token t = next();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.value()) {
                    case "true", "True" -> new Expr.Literal(Boolean.TRUE);
                    case "false", "False" -> new Expr.Literal(Boolean.FALSE);
                    case "none", "None" -> new Expr.Literal(null);
                    default -> new Expr.Name(t.value(), t.line());
                };
            }
            case STRING -> {
                StringBuilder s = new StringBuilder(t.value());
                while (peek().kind() == Kind.STRING) {
                    s.append(next().value());
                }
                return new Expr.Literal(s.toString());
            }
            case INTEGER -> {
                return new Expr.Literal(Long.parseLong(t.value()));
            }
            case FLOAT -> {
                return new Expr.Literal(Double.parseDouble(t.value()));
            }
            case OPERATOR -> {
                switch (t.value()) {
                    case "(" -> {
                        if (peek().isOperator(")")) {
                            next();
                            return new Expr.ListLiteral(List.of());
                        }
                        Expr first = expression();
                        if (peek().isOperator(")")) {
                            next();
                            return first;
                        }
                        List<Expr> items = new ArrayList<>(List.of(first));
                        while (peek().isOperator(",")) {
                            next();
                            if (peek().isOperator(")")) {
                                break;
                            }
                            items.add(expression());
                        }
                        expect(Kind.OPERATOR, ")");
                        return new Expr.ListLiteral(items);
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expect(Kind.OPERATOR, ",");
                                if (peek().isOperator("]")) {
                                    break;
                                }
                            }
                            items.add(expression());
                        }
                        next();
                        return new Expr.ListLiteral(items);
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expect(Kind.OPERATOR, ",");
                                if (peek().isOperator("}")) {
                                    break;
                                }
                            }
                            keys.add(expression());
                            expect(Kind.OPERATOR, ":");
                            values.add(expression());
                        }
                        next();
                        return new Expr.DictLiteral(keys, values);
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw error("unexpected " + t.describe(), t);
    }

    /** {@code .name}, {@code .0}, {@code [key]}, {@code [a:b:c]} and calls, left to right. */
    private Expr postfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".")) {
                next();
                Token name = next();
                if (name.kind() == Kind.NAME) {
                    node = new Expr.Attribute(node, name.value(), name.line());
                } else if (name.kind() == Kind.INTEGER) {
                    node = new Expr.Item(node, new Expr.Literal(Long.parseLong(name.value())), name.line());
                } else {
                    throw error("expected a name after '.', got " + name.describe(), name);
                }
            } else if (t.isOperator("[")) {
                next();
                node = subscript(node, t);
            } else if (t.isOperator("(")) {
                node = call(node);
            } else {
                return node;
            }
        }
    }

    private Expr subscript(Expr object, Token open) {
        Expr start = null;
        if (!peek().isOperator(":")) {
            start = expression();
            if (peek().isOperator("]")) {
                next();
                return new Expr.Item(object, start, open.line());
            }
        }
        expect(Kind.OPERATOR, ":");
        Expr stop = peek().isOperator(":") || peek().isOperator("]") ? null : expression();
        Expr step = null;
        if (peek().isOperator(":")) {
            next();
            step = peek().isOperator("]") ? null : expression();
        }
        expect(Kind.OPERATOR, "]");
        return new Expr.Slice(object, start, stop, step, open.line());
    }

    private Expr call(Expr callee) {
        Token open = next();
        List<Expr> args = new ArrayList<>();
        List<Expr.Keyword> keywords = new ArrayList<>();
        arguments(args, keywords);
        return new Expr.Call(callee, args, keywords, open.line());
    }

    /** {@code (a, b, name=c)} after the opening parenthesis, through the closing one. */
    private void arguments(List<Expr> args, List<Expr.Keyword> keywords) {
        while (!peek().isOperator(")")) {
            if (!args.isEmpty() || !keywords.isEmpty()) {
                expect(Kind.OPERATOR, ",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            if (peek().kind() == Kind.NAME && tokens.get(pos + 1).isOperator("=")) {
                String name = next().value();
                next();
                keywords.add(new Expr.Keyword(name, expression()));
            } else if (!keywords.isEmpty()) {
                throw error("a positional argument follows a keyword argument", peek());
            } else {
                args.add(expression());
            }
        }
        next();
    }

    private Expr filtersAndTests(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                next();
                Token name = expect(Kind.NAME, null);
                if (!Filters.exists(name.value())) {
                    throw error("no filter named '" + name.value() + "'", name);
                }
                List<Expr> args = new ArrayList<>();
                List<Expr.Keyword> keywords = new ArrayList<>();
                if (peek().isOperator("(")) {
                    next();
                    arguments(args, keywords);
                }
                node = new Expr.Filter(node, name.value(), args, keywords, name.line());
            } else if (t.isName("is")) {
                next();
                node = test(node);
            } else if (t.isOperator("(")) {
                node = call(node);
            } else {
                return node;
            }
        }
    }

    /** After {@code is}: {@code [not] name}, then {@code (args)} or one bare argument ({@code is sameas false}). */
    private Expr test(Expr value) {
        boolean negated = false;
        if (peek().isName("not")) {
            next();
            negated = true;
        }
        Token name = expect(Kind.NAME, null);
        if (!Tests.exists(name.value())) {
            throw error("no test named '" + name.value() + "'", name);
        }
        List<Expr> args = new ArrayList<>();
        Token t = peek();
        if (t.isOperator("(")) {
            next();
            List<Expr.Keyword> keywords = new ArrayList<>();
            arguments(args, keywords);
            if (!keywords.isEmpty()) {
                throw error("tests take positional arguments only", name);
            }
        } else if ((t.kind() == Kind.NAME || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER
                || t.kind() == Kind.FLOAT || t.isOperator("(") || t.isOperator("[") || t.isOperator("{"))
                && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            if (t.isName("is")) {
                throw error("you cannot chain multiple tests with 'is'", t);
            }
            args.add(postfix(primary()));
        }
        return new Expr.Test(value, name.value(), args, negated, name.line());
    }

    // ---------------------------------------------------------------- token stream

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    /** The next token, which must be of {@code kind} (and read {@code value} unless that is null or empty). */
    private Token expect(Kind kind, String value) {
        Token t = peek();
        boolean valueMatches = value == null || value.isEmpty() || t.value().equals(value);
        if (t.kind() != kind || !valueMatches) {
            String wanted = switch (kind) {
                case BLOCK_END -> "'%}'";
                case VARIABLE_END -> "'}}'";
                case END -> "end of template";
                case NAME -> value == null || value.isEmpty() ? "a name" : "'" + value + "'";
                default -> "'" + value + "'";
            };
            throw error("expected " + wanted + ", got " + t.describe(), t);
        }
        return next();
    }

    private static TemplateSyntaxException error(String message, Token at) {
        return new TemplateSyntaxException(message, at.line());
    }
}
