package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.EventInput;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in value formats and the lookup by name. */
class ValueFormatsTest {

    @Test
    void jsonReadsAnObjectAndWritesItBackExactly() {
        ValueFormat json = ValueFormats.create("json", Map.of());
        byte[] value = "{\"text\":\"a\",\"price\":1.10}".getBytes(UTF_8);
        ValueFormat.Decoded decoded = json.read("events", value);
        assertEquals("a", decoded.event().get("text").textValue());
        assertArrayEquals(value, json.write("out", decoded, decoded.event()));
        var notObject = assertThrows(InvalidEventException.class, () -> json.read("events", "[1]".getBytes(UTF_8)));
        assertEquals("not-an-object", notObject.reason());
    }

    @Test
    void textTakesTheWholeValueAsTheTextAndWritesJsonOrTheGeneratedText() {
        ValueFormat text = ValueFormats.create("text", Map.of());
        ValueFormat.Decoded decoded = text.read("events", "{not json} ünïcode".getBytes(UTF_8));
        assertEquals("{not json} ünïcode", decoded.event().get("text").textValue());
        ObjectNode enriched = decoded.event().deepCopy().put("generated", "an answer");
        assertEquals("{\"text\":\"{not json} ünïcode\",\"generated\":\"an answer\"}",
                new String(text.write("out", decoded, enriched), UTF_8));

        ValueFormat textOut = ValueFormats.create("text", Map.of("outputFormat", "text"));
        assertEquals("an answer", new String(textOut.write("out", decoded, enriched), UTF_8));
        var noText = assertThrows(InvalidEventException.class, () -> textOut.write("out", decoded, decoded.event()));
        assertEquals("no-text-result", noText.reason());

        var badUtf8 = assertThrows(InvalidEventException.class, () -> text.read("events", new byte[] {(byte) 0xC3, 0x28}));
        assertEquals("invalid-utf8", badUtf8.reason());
    }

    @Test
    void theParserAppliesTheTextRulesToWhatTheFormatRead() {
        var parser = new EventParser(ValueFormats.create("text", Map.of()), "text", 10, EventInput.TEXT);
        assertEquals("hello", parser.parse("events", "hello".getBytes(UTF_8)).text());
        assertEquals("empty-text", assertThrows(InvalidEventException.class, () -> parser.parse("events", "  ".getBytes(UTF_8))).reason());
        assertEquals("text-too-long", assertThrows(InvalidEventException.class,
                () -> parser.parse("events", "eleven byte".getBytes(UTF_8))).reason());
    }

    @Test
    void unknownNamesAreRefusedInOneSentenceListingTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("xml", Map.of()));
        // formats that other packages add (avro, json-schema) are listed too, sorted
        assertTrue(e.getMessage().matches("Unknown value format 'xml': use one of (.+, )?json, (.+, )?text.*"), e.getMessage());
        var output = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("text", Map.of("outputFormat", "csv")));
        assertTrue(output.getMessage().contains("use json or text"), output.getMessage());
        var jsonAsText = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("json", Map.of("outputFormat", "text")));
        assertTrue(jsonAsText.getMessage().startsWith("Output format 'text' needs --value-format text"), jsonAsText.getMessage());
    }

    @Test
    void anotherPackageCanRegisterAFormat() {
        ValueFormats.register(new ValueFormat.Provider() {
            @Override public String name() { return "upper-test"; }

            @Override
            public ValueFormat create(Map<String, String> settings) {
                return new ValueFormat() {
                    @Override public Decoded read(String topic, byte[] value) {
                        return new Decoded(EventParser.mapper().createObjectNode().put("text", new String(value, UTF_8).toUpperCase()), topic);
                    }

                    @Override public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
                        return (input.writerState() + "->" + outputTopic).getBytes(UTF_8);
                    }
                };
            }
        });
        ValueFormat format = ValueFormats.create("upper-test", Map.of());
        ValueFormat.Decoded decoded = format.read("in", "abc".getBytes(UTF_8));
        assertEquals("ABC", decoded.event().get("text").textValue());
        assertEquals("in->out", new String(format.write("out", decoded, decoded.event()), UTF_8));
        assertTrue(ValueFormats.known().contains("upper-test"));
    }
}
