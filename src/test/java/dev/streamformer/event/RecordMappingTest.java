package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.EventInput;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the text comes from (a field path, a template) and where the result goes (fields, one field, a header, alone). */
class RecordMappingTest {

    private static ObjectNode json(String json) throws Exception {
        return (ObjectNode) EventParser.mapper().readTree(json);
    }

    private static EventParser parser(String textField, String template) {
        return new EventParser(ValueFormats.create("json", Map.of()), textField, template, 1000, EventInput.TEXT);
    }

    @Test
    void aFieldPathIsANameADottedPathOrAJsonPointer() throws Exception {
        ObjectNode event = json("{\"payload\":{\"body\":\"nested\",\"a/b\":\"slash\"},\"dotted.name\":\"literal\"}");
        assertEquals("nested", FieldPath.parse("payload.body").find(event).textValue());
        assertEquals("nested", FieldPath.parse("/payload/body").find(event).textValue());
        assertEquals("slash", FieldPath.parse("/payload/a~1b").find(event).textValue());
        assertEquals("literal", FieldPath.parse("dotted.name").find(event).textValue(), "a top-level name with a dot is that field");
        assertNull(FieldPath.parse("payload.title").find(event));
        assertNull(FieldPath.parse("payload.body.deeper").find(event));
        var empty = assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(""));
        assertTrue(empty.getMessage().startsWith("The field path is empty"), empty.getMessage());
    }

    @Test
    void theParserReadsTheTextFromANestedField() {
        var parser = parser("payload.body", null);
        assertEquals("deep", parser.parse("{\"payload\":{\"body\":\"deep\"}}".getBytes(UTF_8)).text());
        var missing = assertThrows(InvalidEventException.class, () -> parser.parse("{\"payload\":{}}".getBytes(UTF_8)));
        assertEquals("missing-text", missing.reason());
        assertTrue(missing.getMessage().contains("'payload.body'"), missing.getMessage());
    }

    @Test
    void aTemplateJoinsFieldsAndNamesAMissingOne() {
        var parser = parser("text", "{title}\\n\\n{payload.body} ({n}, {{literal}})");
        String event = "{\"title\":\"T\",\"payload\":{\"body\":\"B\"},\"n\":1.50}";
        assertEquals("T\n\nB (1.50, {literal})", parser.parse(event.getBytes(UTF_8)).text());

        var missing = assertThrows(InvalidEventException.class, () -> parser.parse("{\"title\":\"T\",\"n\":1}".getBytes(UTF_8)));
        assertEquals("missing-field", missing.reason());
        assertTrue(missing.getMessage().startsWith("The event has no 'payload.body' field, which the text template names"), missing.getMessage());
        var object = assertThrows(InvalidEventException.class,
                () -> parser.parse("{\"title\":{\"a\":1},\"payload\":{\"body\":\"B\"},\"n\":1}".getBytes(UTF_8)));
        assertEquals("field-not-text", object.reason());
        var blank = assertThrows(InvalidEventException.class,
                () -> parser("text", "{a}{b}").parse("{\"a\":\" \",\"b\":\"\"}".getBytes(UTF_8)));
        assertEquals("empty-text", blank.reason());
    }

    @Test
    void aBrokenTemplateIsRefusedInOneSentence() {
        var unclosed = assertThrows(IllegalArgumentException.class, () -> TextTemplate.parse("{title"));
        assertTrue(unclosed.getMessage().contains("has an unclosed {} at character 0"), unclosed.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> TextTemplate.parse("a {} b"));
        assertTrue(empty.getMessage().contains("has an empty {}"), empty.getMessage());
    }

    @Test
    void theResultGoesNextToTheInputIntoOneFieldAloneOrIntoAHeader() throws Exception {
        ObjectNode fields = json("{\"label\":\"positive\",\"score\":0.9}");
        assertEquals(json("{\"id\":1,\"label\":\"positive\",\"score\":0.9,\"model\":\"m\"}"),
                Enrichment.DEFAULT.enrich(json("{\"id\":1}"), fields, "m"));
        assertEquals(json("{\"id\":1,\"result\":{\"label\":\"positive\",\"score\":0.9,\"model\":\"m\"}}"),
                new Enrichment("result", null, false, null).enrich(json("{\"id\":1}"), fields, "m"));
        assertEquals(json("{\"label\":\"positive\",\"score\":0.9,\"model\":\"m\"}"),
                new Enrichment(null, null, true, null).enrich(json("{\"id\":1}"), fields, "m"));
        assertEquals(json("{\"result\":{\"label\":\"positive\",\"score\":0.9}}"),
                new Enrichment("result", null, true, null).enrich(json("{\"id\":1}"), fields, null));

        var header = new Enrichment(null, "streamformer", false, null);
        assertEquals(json("{\"id\":1}"), header.enrich(json("{\"id\":1}"), fields, "m"), "the value as it came");
        assertEquals("{\"label\":\"positive\",\"score\":0.9,\"model\":\"m\"}", new String(header.header(fields, "m"), UTF_8));
        assertNull(Enrichment.DEFAULT.header(fields, "m"));
        assertEquals(json("{\"label\":\"positive\",\"score\":0.9}"), fields, "the task's fields (maybe cached) are not changed");

        var both = assertThrows(IllegalArgumentException.class, () -> new Enrichment("result", "h", false, null));
        assertTrue(both.getMessage().startsWith("--output-header puts the result into a record header"), both.getMessage());
    }
}
