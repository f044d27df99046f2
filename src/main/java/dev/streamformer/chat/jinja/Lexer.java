package dev.streamformer.chat.jinja;

import dev.streamformer.chat.jinja.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a template into tokens the way Jinja2's lexer does with the options Hugging Face uses for chat templates:
 * {@code trim_blocks} (the first newline after a block or comment tag is dropped), {@code lstrip_blocks} (spaces and
 * tabs before a block or comment tag on its own line are dropped), {@code keep_trailing_newline=False} (one newline at
 * the very end of the template is dropped), and the manual controls {@code {%-}, {@code -%}}, {@code {{-}, {@code -}}}
 * (strip all whitespace on that side) and {@code {%+}, {@code +%}} (keep it).
 *
 * <p>Comments vanish here; literal text becomes {@link Kind#TEXT}; inside {@code {{ }}} and {@code {% %}} come names,
 * numbers, string literals (escapes decoded) and operators. {@code {% raw %}} is not supported.
 */
final class Lexer {

    /** Operators, longest first so that {@code //} wins over {@code /}. */
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"
    };

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    /** True when the previous tag ended at a line break (or nothing came before): lstrip_blocks may strip. */
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String template) {
        Lexer lexer = new Lexer(normalizeNewlines(template));
        lexer.run();
        return lexer.tokens;
    }

    /** {@code \r\n} and {@code \r} become {@code \n}; one final newline is dropped (Jinja2's keep_trailing_newline=False). */
    private static String normalizeNewlines(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private void run() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitText(source.substring(pos));
                break;
            }
            char type = source.charAt(tag + 1);
            int afterBegin = tag + 2;
            char sign = afterBegin < source.length() ? source.charAt(afterBegin) : 0;
            boolean hasSign = sign == '-' || sign == '+';
            emitText(textBeforeTag(source.substring(pos, tag), hasSign ? sign : 0, type != '{'));
            pos = hasSign ? afterBegin + 1 : afterBegin;
            switch (type) {
                case '#' -> skipComment();
                case '{' -> expressionTokens(Kind.VARIABLE_BEGIN, Kind.VARIABLE_END, "}}");
                default -> expressionTokens(Kind.BLOCK_BEGIN, Kind.BLOCK_END, "%}");
            }
        }
        tokens.add(new Token(Kind.END, "", line));
    }

    private int nextTagStart(int from) {
        int i = source.indexOf('{', from);
        while (i >= 0 && i + 1 < source.length()) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = source.indexOf('{', i + 1);
        }
        return -1;
    }

    /** The text before a tag after whitespace control: {@code -} strips all trailing whitespace, lstrip_blocks the indent. */
    private String textBeforeTag(String text, char sign, boolean isBlockOrComment) {
        if (sign == '-') {
            return PyStrings.rstrip(text, null);
        }
        if (sign != '+' && isBlockOrComment) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                    && PyStrings.isBlank(text, lineStart)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, line));
            countLines(text);
        }
    }

    private void skipComment() {
        int end = source.indexOf("#}", pos);
        if (end < 0) {
            throw new TemplateSyntaxException("missing end of comment tag '#}'", line);
        }
        char before = end > pos ? source.charAt(end - 1) : 0;
        countLines(source.substring(pos, end));
        pos = end + 2;
        finishTag(before == '-' ? '-' : before == '+' ? '+' : 0);
    }

    /** After a closing tag: {@code -} eats all whitespace, {@code +} nothing, a plain block end one newline. */
    private void finishTag(char sign) {
        int start = pos;
        if (sign == '-') {
            while (pos < source.length() && PyStrings.isSpace(source.charAt(pos))) {
                pos++;
            }
        } else if (sign != '+' && pos < source.length() && source.charAt(pos) == '\n') {
            pos++;
        }
        countLines(source.substring(start, pos));
        lineStarting = pos > start && source.charAt(pos - 1) == '\n';
    }

    private void expressionTokens(Kind begin, Kind end, String endDelimiter) {
        tokens.add(new Token(begin, "", line));
        int depth = 0;
        while (true) {
            skipWhitespace();
            if (pos >= source.length()) {
                throw new TemplateSyntaxException("unexpected end of template, expected '" + endDelimiter + "'", line);
            }
            if (depth == 0) {
                char sign = source.charAt(pos);
                boolean signed = (sign == '-' || (sign == '+' && end == Kind.BLOCK_END))
                        && source.startsWith(endDelimiter, pos + 1);
                if (signed || source.startsWith(endDelimiter, pos)) {
                    tokens.add(new Token(end, "", line));
                    pos += signed ? 3 : 2;
                    if (end == Kind.BLOCK_END) {
                        finishTag(signed ? sign : 0);
                    } else {
                        finishTag(signed ? '-' : '+');
                    }
                    return;
                }
            }
            char c = source.charAt(pos);
            if (Character.isDigit(c)) {
                number();
            } else if (c == '\'' || c == '"') {
                string(c);
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, source.substring(start, pos), line));
            } else {
                String op = operatorAt(pos);
                if (op == null) {
                    throw new TemplateSyntaxException("unexpected character '" + c + "'", line);
                }
                depth += switch (op) {
                    case "(", "[", "{" -> 1;
                    case ")", "]", "}" -> -1;
                    default -> 0;
                };
                if (depth < 0) {
                    throw new TemplateSyntaxException("unexpected '" + op + "'", line);
                }
                tokens.add(new Token(Kind.OPERATOR, op, line));
                pos += op.length();
            }
        }
    }

    private void skipWhitespace() {
        while (pos < source.length() && PyStrings.isSpace(source.charAt(pos))) {
            if (source.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private String operatorAt(int at) {
        for (String op : OPERATORS) {
            if (source.startsWith(op, at)) {
                return op;
            }
        }
        return null;
    }

    /** An integer ({@code 12}, {@code 1_000}) or a float ({@code 1.5}, {@code 2e-3}); {@code a.0} stays an index. */
    private void number() {
        int start = pos;
        digits();
        boolean isFloat = false;
        if (pos + 1 < source.length() && source.charAt(pos) == '.' && Character.isDigit(source.charAt(pos + 1))
                && !(start > 0 && source.charAt(start - 1) == '.')) {
            pos++;
            digits();
            isFloat = true;
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < source.length() && Character.isDigit(source.charAt(pos))) {
                digits();
                isFloat = true;
            } else {
                pos = mark;
            }
        }
        String text = source.substring(start, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, line));
    }

    private void digits() {
        while (pos < source.length() && (Character.isDigit(source.charAt(pos)) || source.charAt(pos) == '_')) {
            pos++;
        }
    }

    /** A quoted string literal, with Python's escapes decoded. */
    private void string(char quote) {
        int startLine = line;
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= source.length()) {
                throw new TemplateSyntaxException("unterminated string", startLine);
            }
            char c = source.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c != '\\') {
                out.append(c);
            } else {
                escape(out);
            }
        }
        tokens.add(new Token(Kind.STRING, out.toString(), startLine));
    }

    /** Decodes one backslash escape as Python's {@code unicode-escape} does; an unknown one keeps its backslash. */
    private void escape(StringBuilder out) {
        if (pos >= source.length()) {
            out.append('\\');
            return;
        }
        char e = source.charAt(pos++);
        switch (e) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000b');
            case 'a' -> out.append('\u0007');
            case '\\', '\'', '"' -> out.append(e);
            case '\n' -> line++;
            case 'x' -> out.appendCodePoint(hex(2));
            case 'u' -> out.appendCodePoint(hex(4));
            case 'U' -> out.appendCodePoint(hex(8));
            default -> {
                if (e >= '0' && e <= '7') {
                    int value = e - '0';
                    for (int i = 0; i < 2 && pos < source.length() && source.charAt(pos) >= '0' && source.charAt(pos) <= '7'; i++) {
                        value = value * 8 + (source.charAt(pos++) - '0');
                    }
                    out.append((char) value);
                } else {
                    out.append('\\').append(e);
                }
            }
        }
    }

    private int hex(int length) {
        if (pos + length > source.length()) {
            throw new TemplateSyntaxException("truncated \\x, \\u or \\U escape in a string", line);
        }
        try {
            int value = Integer.parseInt(source.substring(pos, pos + length), 16);
            pos += length;
            return value;
        } catch (NumberFormatException e) {
            throw new TemplateSyntaxException("malformed \\x, \\u or \\U escape in a string", line);
        }
    }

    private void countLines(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
    }
}
