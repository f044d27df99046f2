package dev.streamformer.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Format {@value #NAME}: the value is strict UTF-8 [{@code invalid-utf8}] holding exactly one JSON value
 * [{@code malformed-json}] that is an object [{@code not-an-object}]; the output is the enriched object as UTF-8 JSON,
 * written by the parser's strict mapper so that numbers come out exactly as they came in [{@code unwritable-json}].
 */
final class JsonFormat implements ValueFormat {

    static final String NAME = "json";

    static final class Provider implements ValueFormat.Provider {
        @Override public String name() { return NAME; }
        @Override public ValueFormat create(Map<String, String> settings) { return new JsonFormat(); }
    }

    @Override
    public Decoded read(String topic, byte[] value) {
        return new Decoded(readObject(EventParser.decodeUtf8(value)), null);
    }

    @Override
    public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
        return writeJson(enriched);
    }

    /** Decoded text that should hold one JSON object. */
    static ObjectNode readObject(String value) {
        JsonNode node = readJson(value);
        if (!(node instanceof ObjectNode json)) {
            throw new InvalidEventException("not-an-object",
                    "The event is a JSON " + node.getNodeType().name().toLowerCase() + ", expected a JSON object.");
        }
        return json;
    }

    /** The event as UTF-8 JSON; a failure here is an {@value Enrichment#UNWRITABLE} error of this event alone. */
    static byte[] writeJson(ObjectNode event) {
        try {
            return EventParser.mapper().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(Enrichment.UNWRITABLE, "The enriched event cannot be written as JSON ("
                    + e.getOriginalMessage() + ").", e);
        }
    }

    private static JsonNode readJson(String json) {
        try {
            JsonNode node = EventParser.mapper().readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new InvalidEventException("malformed-json", "The value is empty; expected a JSON object.");
            }
            return node;
        } catch (JacksonException e) {
            throw new InvalidEventException("malformed-json", "The value is not valid JSON (" + e.getOriginalMessage() + ").", e);
        } catch (NumberFormatException e) {
            // valid JSON grammar, but a number BigDecimal cannot hold (an exponent beyond ±2^31, e.g. 1e9912567890)
            throw new InvalidEventException("malformed-json", "The value holds a number too large to keep exactly ("
                    + e.getMessage() + "); send it as a string.", e);
        }
    }
}
