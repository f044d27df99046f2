package dev.streamformer.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of an event made from several of its fields, e.g. {@code "{title}\n\n{body}"}: each {@code {field}} (a
 * {@link FieldPath}: {@code {payload.body}}, {@code {/a/b}}) is replaced by the field's value; {@code {{} and
 * {@code }}} are literal braces, and {@code \n}, {@code \t}, {@code \\} are a newline, a tab and a backslash (so the
 * template can be written on a command line). A string field is taken as it is, a number or boolean as its JSON
 * text; a missing or null field [{@code missing-field}] or an object or array [{@code field-not-text}] makes the event a
 * dead letter, naming the field.
 */
public final class TextTemplate {

    /** A piece of a template: literal text, or a field. */
    private record Part(String literal, FieldPath field) {}

    private final String source;
    private final List<Part> parts;

    private TextTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * @throws IllegalArgumentException an unclosed or empty {@code {}} in one sentence with the fix
     */
    public static TextTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length() && "nt\\".indexOf(template.charAt(i + 1)) >= 0) {
                char escaped = template.charAt(++i);
                literal.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : '\\');
            } else if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                literal.append(c);
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0 || close == i + 1) {
                    throw new IllegalArgumentException("The text template '" + template + "' has " + (close < 0 ? "an unclosed" : "an empty")
                            + " {} at character " + i + ": write a field name inside, e.g. {title}, or {{ for a literal brace.");
                }
                if (!literal.isEmpty()) {
                    parts.add(new Part(literal.toString(), null));
                    literal.setLength(0);
                }
                parts.add(new Part(null, FieldPath.parse(template.substring(i + 1, close))));
                i = close;
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), null));
        }
        return new TextTemplate(template, List.copyOf(parts));
    }

    /** The event's text by this template. */
    public String render(ObjectNode event) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part.field == null) {
                text.append(part.literal);
                continue;
            }
            JsonNode value = part.field.find(event);
            if (value == null || value.isNull()) {
                throw new InvalidEventException("missing-field", "The event has no '" + part.field + "' field, which the text template"
                        + " names: add it, or change the template (--text-template; topology file: textTemplate).");
            }
            if (value.isContainerNode()) {
                throw new InvalidEventException("field-not-text", "The '" + part.field + "' field is an "
                        + value.getNodeType().name().toLowerCase() + ", which a text template cannot put into text: name a string field.");
            }
            text.append(value.asText());
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
