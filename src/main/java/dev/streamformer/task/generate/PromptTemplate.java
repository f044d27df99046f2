package dev.streamformer.task.generate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the prompt from an event, e.g. {@code "Summarize: {text}"}.
 *
 * <p>Limitation: the {@link dev.streamformer.task.Task} contract hands a task only the event's text, so
 * {@code {text}} is the one field a template can use; a template naming any other field is refused at
 * construction rather than silently left unfilled.
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

    /** The template with every {@code {text}} replaced by {@code text}. */
    public String apply(String text) {
        return template.replace("{text}", text);
    }
}
