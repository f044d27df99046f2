package dev.streamformer.event;

import dev.streamformer.task.EventInput;
import dev.streamformer.task.InvalidInputException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw bytes of an input event into a JSON object and its text, or says exactly why not: the one parser of
 * the Kafka pipeline and the command line.
 *
 * <p>Rules, in order (each failure is an {@link InvalidEventException} with the reason in brackets):
 * <ol>
 *   <li>the stage's {@link ValueFormat} reads the value as an event; for {@code json} (the default):
 *       the bytes are strict UTF-8 [{@code invalid-utf8}] (checked by us, so that Jackson's encoding
 *       auto-detection never reads UTF-16 or guesses);
 *       they hold exactly one JSON value [{@code malformed-json}]: no trailing data, no duplicate keys, at most
 *       {@value #MAX_NESTING_DEPTH} levels of nesting; numbers are kept exactly (BigDecimal), so a field is
 *       written back as it came in; the value is an object [{@code not-an-object}];</li>
 *   <li>the text field (a name, a dotted path or a JSON Pointer: {@link FieldPath}) is present [{@code missing-text}], a string [{@code text-not-string}], not blank
 *       [{@code empty-text}], holds no unpaired UTF-16 surrogate [{@code invalid-unicode}] and is at most
 *       {@code maxTextBytes} long in UTF-8 [{@code text-too-long}] — or, for a task whose {@link EventInput} accepts
 *       them, the event has no text field but what the task reads instead (a chat's {@code messages}, a rerank's {@code passages});
 *       or, with a text template, every field it names is present [{@code missing-field}] and not an object or
 *       array [{@code field-not-text}] ({@link TextTemplate}), and the text it makes passes the same checks;</li>
 *   <li>the task's {@link EventInput} turns the event into model input (e.g. a chat template renders it) [its own
 *       reason, e.g. {@code chat-template}].</li>
 * </ol>
 * Thread-safe (Jackson's mapper is).
 */
public final class EventParser {

    static final int MAX_NESTING_DEPTH = 100;
    /** The field that holds the text unless a stage names another. */
    public static final String DEFAULT_TEXT_FIELD = "text";
    /** The longest text, in bytes of UTF-8, unless a stage sets another limit. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    // write 😀 as its 4 UTF-8 bytes, not as the escaped surrogate pair \uD83D\uDE00
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final ValueFormat format;
    private final String textField;
    private final FieldPath textPath;
    private final TextTemplate textTemplate; // null: the text is the text field
    private final int maxTextBytes;
    private final EventInput input;

    /** A parser of JSON events for tasks that read the text field as it is. */
    public EventParser(String textField, int maxTextBytes) {
        this(textField, maxTextBytes, EventInput.TEXT);
    }

    /** A parser of JSON events. */
    public EventParser(String textField, int maxTextBytes, EventInput input) {
        this(ValueFormats.create(ValueFormats.DEFAULT, java.util.Map.of()), textField, maxTextBytes, input);
    }

    public EventParser(ValueFormat format, String textField, int maxTextBytes, EventInput input) {
        this(format, textField, null, maxTextBytes, input);
    }

    /**
     * @param textField    where the text is: a name, a dotted path or a JSON Pointer ({@link FieldPath})
     * @param textTemplate the text made from several fields instead ({@link TextTemplate}); null: the text field
     * @throws IllegalArgumentException the field path or template is not valid, in one sentence with the fix
     */
    public EventParser(ValueFormat format, String textField, String textTemplate, int maxTextBytes, EventInput input) {
        this.format = format;
        this.textField = textField;
        this.textPath = FieldPath.parse(textField);
        this.textTemplate = textTemplate == null ? null : TextTemplate.parse(textTemplate);
        this.maxTextBytes = maxTextBytes;
        this.input = input;
    }

    /** A valid event: the value as its format read it and the text to run the model on. */
    public record ParsedEvent(ValueFormat.Decoded decoded, String text) {
        /** The event as a JSON object. */
        public ObjectNode json() {
            return decoded.event();
        }
    }

    /** The format this parser reads, which also writes the enriched events. */
    public ValueFormat format() {
        return format;
    }

    /** A record's value read from {@code topic} (null: not from Kafka), by the stage's format (rules 1 to 5). */
    public ParsedEvent parse(String topic, byte[] value) {
        if (value == null) {
            throw new InvalidEventException("malformed-json", "The record has no value (null); expected a JSON object.");
        }
        return event(format.read(topic, value));
    }

    /** A record's value, not from Kafka (rules 1 to 5). */
    public ParsedEvent parse(byte[] value) {
        return parse(null, value);
    }

    /** Decoded text that should hold one JSON object, whatever the stage's format (rules 2 to 5). */
    public ParsedEvent parseJson(String value) {
        return event(new ValueFormat.Decoded(JsonFormat.readObject(value), null));
    }

    /** Rules 4 and 5 for an event its format has read. */
    private ParsedEvent event(ValueFormat.Decoded decoded) {
        ObjectNode json = decoded.event();
        if (textTemplate != null) {
            String text = textTemplate.render(json);
            checkText(text);
            return new ParsedEvent(decoded, modelInput(json, text));
        }
        JsonNode field = textPath.find(json);
        if ((field == null || field.isNull()) && input.readsWithoutText(json)) {
            return new ParsedEvent(decoded, modelInput(json, null));
        }
        if (field == null || field.isNull()) {
            throw new InvalidEventException("missing-text", "The event has no '" + textField + "' field: add it, or name the"
                    + " field that holds the text (--text-field; topology file: textField).");
        }
        if (!field.isTextual()) {
            throw new InvalidEventException("text-not-string", "The '" + textField + "' field is a "
                    + field.getNodeType().name().toLowerCase() + ", expected a string.");
        }
        String text = field.textValue();
        checkText(text);
        return new ParsedEvent(decoded, modelInput(json, text));
    }

    /** A plain text that is not JSON (a command-line input line) as the event {@code {"text": text}} (rules 4 and 5). */
    public ParsedEvent plainText(String text) {
        ObjectNode json = MAPPER.getNodeFactory().objectNode().put(DEFAULT_TEXT_FIELD, text);
        checkText(text);
        return new ParsedEvent(new ValueFormat.Decoded(json, null), modelInput(json, text));
    }

    /** The task's reading of a valid event, its own refusals turned into dead-letter reasons. */
    private String modelInput(ObjectNode json, String text) {
        try {
            return input.read(json, text);
        } catch (InvalidInputException e) {
            throw new InvalidEventException(e.reason(), e.getMessage(), e);
        }
    }

    /**
     * The rules for a text, the same on Kafka and on the command line: not empty or only whitespace [{@code empty-text}],
     * no unpaired surrogate [{@code invalid-unicode}], at most {@code maxTextBytes} of UTF-8 [{@code text-too-long}].
     */
    private void checkText(String text) {
        if (text.isBlank()) {
            throw new InvalidEventException("empty-text", "The '" + textField + "' field is empty or only whitespace; there is nothing to"
                    + " run the model on.");
        }
        checkSurrogatesPaired(text);
        int bytes = utf8Length(text);
        if (bytes > maxTextBytes) {
            throw new InvalidEventException("text-too-long", "The '" + textField + "' field is " + bytes + " bytes of UTF-8, over the limit"
                    + " of " + maxTextBytes + " bytes: shorten it, or raise the limit (--max-text-bytes; topology file: maxTextBytes).");
        }
    }

    /** The shared, strict mapper; also used to write enriched events ({@link Enrichment}). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Strict UTF-8 (rule 1): never guesses another encoding. */
    public static String decodeUtf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (MalformedInputException e) {
            throw new InvalidEventException("invalid-utf8", "The value is not valid UTF-8 (" + e.getInputLength()
                    + " malformed byte(s)); produce UTF-8 encoded JSON.", e);
        } catch (CharacterCodingException e) {
            throw new InvalidEventException("invalid-utf8", "The value is not valid UTF-8; produce UTF-8 encoded JSON.", e);
        }
    }

    private static void checkSurrogatesPaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidEventException("invalid-unicode", String.format(
                        "The text holds an unpaired UTF-16 surrogate \\u%04X at char %d; it is not a Unicode character.", (int) c, i));
            }
        }
    }

    /** UTF-8 length of a string whose surrogates are paired, without encoding it. */
    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)) { bytes += 4; i++; }
            else bytes += 3;
        }
        return bytes;
    }
}
