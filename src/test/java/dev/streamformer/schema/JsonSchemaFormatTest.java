package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REVIEW = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"id": {"type": "string"}, "text": {"type": "string", "minLength": 1},
                            "stars": {"$ref": "#/$defs/stars"}},
             "required": ["id", "text"],
             "$defs": {"stars": {"type": "integer", "minimum": 1, "maximum": 5}}}""";

    private static ObjectNode event(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void anEventThatKeepsTheSchemaPassesAndOneThatBreaksItIsASchemaMismatchWithTheRule(@TempDir Path dir) throws IOException {
        JsonSchemaFormat format = JsonSchemaFormat.fromSchemaFile(Files.writeString(dir.resolve("review.json"), REVIEW));
        format.check(event("{\"id\": \"r1\", \"text\": \"Great kettle.\", \"stars\": 5}"));

        var noText = assertThrows(InvalidEventException.class, () -> format.check(event("{\"id\": \"r2\"}")));
        assertEquals("schema-mismatch", noText.reason());
        assertTrue(noText.getMessage().startsWith("The event does not match the JSON Schema review.json: "), noText.getMessage());
        assertTrue(noText.getMessage().contains("text"), noText.getMessage());

        var twoErrors = assertThrows(InvalidEventException.class,
                () -> format.check(event("{\"id\": 7, \"text\": \"ok\", \"stars\": 9}")));
        assertTrue(twoErrors.getMessage().endsWith("(and 1 more)."), twoErrors.getMessage());
    }

    @Test
    void aBadSchemaFileIsOneSentenceWithTheFix(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"type\": ");
        var e = assertThrows(IllegalArgumentException.class, () -> JsonSchemaFormat.fromSchemaFile(notJson));
        assertTrue(e.getMessage().startsWith("The JSON Schema file " + notJson + " is not a valid schema"), e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> JsonSchemaFormat.fromSchemaFile(dir.resolve("none.json")));
        assertTrue(missing.getMessage().endsWith("(--schema-file)."), missing.getMessage());
    }
}
