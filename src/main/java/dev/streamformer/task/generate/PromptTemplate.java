package dev.streamformer.task.generate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the prompt from an event, e.g. {@code "Summarize: {text}"}.
 *
 * <p>The {@link dev.streamformer.task.Task} contract hands a task only the event's text, so {@code {text}} is the one
 * field this template can use; a template naming any other field is refused at construction rather than silently left
 * unfilled. A stage whose template names other fields ({@link #namesOtherFields}) renders it in the event core
 * instead, as the stage's text template ({@link #asTextTemplate}), and gives the task the rendered text.
 */
public record PromptTemplate(String template) {

    private static final Pattern FIELD = Pattern.compile("\\{([^{}]*)}");

    /** The template that passes the text through unchanged. */
    public static final PromptTemplate IDENTITY = new PromptTemplate("{text}");

    public PromptTemplate {
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            if (!m.group(1).equals("text")) {
                throw new IllegalArgumentException("prompt template field {" + m.group(1) + "} is not available: "
                        + "a generate stage receives only the event's text, so use {text}.");
            }
        }
    }

    /** Whether {@code template} names a field other than {@code {text}}, e.g. {@code "{title}: {text}"}. */
    public static boolean namesOtherFields(String template) {
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            if (!m.group(1).equals("text")) return true;
        }
        return false;
    }

    /**
     * {@code template} as the event core's text template over the whole event: {@code {text}} stands for the stage's
     * text field, every other {@code {field}} for that field.
     */
    public static String asTextTemplate(String template, String textField) {
        return template.replace("{text}", "{" + textField + "}");
    }

    /** The template with every {@code {text}} replaced by {@code text}. */
    public String apply(String text) {
        return template.replace("{text}", text);
    }
}
