package dev.streamformer.task;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a task reads from an event. Most tasks read the event's text field as it is; a chat generation renders the
 * event's conversation (its {@code messages}, or its text as one user turn) through the model's chat template, so
 * what reaches {@link Task#run} is the prompt the model sees; a rerank reads a {@code query} and its {@code passages}.
 */
public interface EventInput {

    /** The text field, unchanged. */
    EventInput TEXT = new EventInput() {
        @Override public boolean readsWithoutText(ObjectNode event) { return false; }
        @Override public String read(ObjectNode event, String text) { return text; }
    };

    /**
     * True when this event, which has no text field, carries what the task reads in its place: a {@code messages} list
     * ({@code [{role, content}, …]}) for a chat, {@code passages} for a rerank.
     */
    boolean readsWithoutText(ObjectNode event);

    /**
     * The model input of one valid event.
     *
     * @param text the event's text field (already checked: a non-blank string), or null when the event has no text
     *             field and {@link #readsWithoutText} said yes
     * @throws InvalidInputException when the event cannot become model input (the reason goes to the dead-letter topic)
     */
    String read(ObjectNode event, String text);
}
