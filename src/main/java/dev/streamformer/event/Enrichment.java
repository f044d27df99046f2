package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The last step of an event's path, the same on Kafka and on the command line: the task's fields and {@code model}
 * are added to the input event (all input fields kept; a result field replaces an input field of the same name), and
 * the stage's {@link ValueFormat} writes it ({@code json}: as UTF-8 JSON by the parser's strict mapper, so numbers come
 * out as exactly as they came in).
 */
public final class Enrichment {

    /** The reason given for an enriched event that cannot be written as JSON. */
    public static final String UNWRITABLE = "unwritable-json";

    private Enrichment() {}

    /**
     * Adds {@code fields} and {@code model} to {@code event} in place and returns it.
     *
     * @param modelId written as {@code model}; null to leave it out (a task without a model, e.g. the tokenizer)
     */
    public static ObjectNode enrich(ObjectNode event, ObjectNode fields, String modelId) {
        event.setAll(fields);
        if (modelId != null) {
            event.put("model", modelId);
        }
        return event;
    }
}
