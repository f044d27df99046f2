package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The last step of an event's path, the same on Kafka and on the command line: where the task's fields and
 * {@code model} go, after the embedding is encoded ({@link VectorEncoding}). By default they are added to the input
 * event (all input fields kept; a result field replaces an input field of the same name); with {@code outputField}
 * they go into that one field as an object; with {@code dropInputFields} the output is the result alone; with
 * {@code outputHeader} the value stays the input event and the result goes, as JSON, into the record header of that
 * name (Kafka only). The stage's {@link ValueFormat} then writes the value ({@code json}: as UTF-8 JSON by the
 * parser's strict mapper, so numbers come out as exactly as they came in).
 *
 * @param outputField     the field the result goes into; null: its fields go into the event itself
 * @param outputHeader    the record header the result goes into; null: the result goes into the value
 * @param dropInputFields the value holds the result alone
 */
public record Enrichment(String outputField, String outputHeader, boolean dropInputFields, VectorEncoding vectors) {

    /** The reason given for an enriched event that cannot be written as JSON. */
    public static final String UNWRITABLE = "unwritable-json";

    /** The result's fields added to the event, embeddings as JSON arrays: as before these options. */
    public static final Enrichment DEFAULT = new Enrichment(null, null, false, VectorEncoding.JSON);

    public Enrichment {
        vectors = vectors == null ? VectorEncoding.JSON : vectors;
        if (outputHeader != null && (dropInputFields || outputField != null)) {
            throw new IllegalArgumentException("--output-header puts the result into a record header and leaves the value as it came:"
                    + " drop --output-field and --drop-input-fields, or --output-header.");
        }
    }

    /**
     * The value to write for {@code event} with the task's {@code fields}: {@code event} itself, changed in place, or
     * (with {@code dropInputFields}) a new object.
     *
     * @param modelId written as {@code model}; null to leave it out (a task without a model, e.g. the tokenizer)
     */
    public ObjectNode enrich(ObjectNode event, ObjectNode fields, String modelId) {
        if (outputHeader != null) {
            return event;
        }
        ObjectNode result = result(fields, modelId);
        if (dropInputFields) {
            return outputField == null ? result : event.objectNode().set(outputField, result);
        }
        if (outputField != null) {
            event.set(outputField, result);
        } else {
            event.setAll(result);
        }
        return event;
    }

    /** The JSON of the {@code outputHeader} header for a result; null when the result goes into the value. */
    public byte[] header(ObjectNode fields, String modelId) {
        return outputHeader == null ? null : JsonFormat.writeJson(result(fields, modelId));
    }

    private ObjectNode result(ObjectNode fields, String modelId) {
        ObjectNode result = fields.objectNode().setAll(vectors.apply(fields)); // shallow: the fields may be a cached result
        if (modelId != null) {
            result.put("model", modelId);
        }
        return result;
    }
}
