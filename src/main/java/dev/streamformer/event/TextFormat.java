package dev.streamformer.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Format {@value #NAME}: the whole value, strict UTF-8 [{@code invalid-utf8}], is the text; the event is
 * {@code {"text": value}}. The output is that event with the result as JSON, or, with setting
 * {@code outputFormat=text}, only the result's text field ({@code generated} unless {@code outputField} names another)
 * as UTF-8 [{@code no-text-result} when the result has no such string].
 */
final class TextFormat implements ValueFormat {

    static final String NAME = "text";
    static final String OUTPUT_FORMAT = "outputFormat";
    static final String OUTPUT_FIELD = "outputField";
    private static final String DEFAULT_OUTPUT_FIELD = "generated";

    static final class Provider implements ValueFormat.Provider {
        @Override public String name() { return NAME; }

        @Override
        public ValueFormat create(Map<String, String> settings) {
            String output = settings.getOrDefault(OUTPUT_FORMAT, "json");
            if (!output.equals("json") && !output.equals("text")) {
                throw new IllegalArgumentException("Unknown output format '" + output + "' for value format text: use json or text"
                        + " (--output-format; topology file: outputFormat).");
            }
            return new TextFormat(output.equals("text") ? settings.getOrDefault(OUTPUT_FIELD, DEFAULT_OUTPUT_FIELD) : null);
        }
    }

    /** The result field written alone as text; null: write the event as JSON. */
    private final String textOutputField;

    private TextFormat(String textOutputField) {
        this.textOutputField = textOutputField;
    }

    @Override
    public Decoded read(String topic, byte[] value) {
        String text = EventParser.decodeUtf8(value);
        return new Decoded(EventParser.mapper().getNodeFactory().objectNode().put(EventParser.DEFAULT_TEXT_FIELD, text), null);
    }

    @Override
    public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
        if (textOutputField == null) {
            return JsonFormat.writeJson(enriched);
        }
        JsonNode result = enriched.get(textOutputField);
        if (result == null || !result.isTextual()) {
            throw new InvalidEventException("no-text-result", "The result has no string field '" + textOutputField
                    + "' to write as text: use --output-format json for this task.");
        }
        return result.textValue().getBytes(StandardCharsets.UTF_8);
    }
}
