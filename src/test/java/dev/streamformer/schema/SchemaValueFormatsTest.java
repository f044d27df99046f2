package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The formats {@code avro} and {@code json-schema} as the pipeline finds them: by name, through ServiceLoader. */
class SchemaValueFormatsTest {

    private static final Schema NOTE = new Schema.Parser().parse("""
            {"type": "record", "name": "Note", "fields": [{"name": "text", "type": "string"}, {"name": "n", "type": "int"}]}""");

    /** The Avro binary of the Note {text: "hello", n: 7}, written by Avro's own writer. */
    private static byte[] noteBytes() throws IOException {
        GenericRecord note = new GenericData.Record(NOTE);
        note.put("text", "hello");
        note.put("n", 7);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(NOTE).write(note, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    @Test
    void bothFormatsAreFoundByName() {
        assertTrue(ValueFormats.known().containsAll(java.util.List.of("avro", "json-schema")), ValueFormats.known().toString());
    }

    @Test
    void avroReadsTheRecordAndWritesTheEnrichedOneOfTheEvolvedSchema(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("note.avsc"), NOTE.toString());
        ValueFormat avro = ValueFormats.create("avro", Map.of("schemaFile", file.toString()));
        ValueFormat.Decoded decoded = avro.read("notes", noteBytes());
        assertEquals("{\"text\":\"hello\",\"n\":7}", decoded.event().toString());
        ObjectNode enriched = decoded.event().deepCopy().put("label", "greeting");
        Schema evolved = new Schema.Parser().parse("""
                {"type": "record", "name": "Note", "fields": [{"name": "text", "type": "string"}, {"name": "n", "type": "int"},
                 {"name": "label", "type": ["null", "string"], "default": null}]}""");
        GenericRecord out = new GenericDatumReader<GenericRecord>(evolved)
                .read(null, DecoderFactory.get().binaryDecoder(avro.write("notes.enriched", decoded, enriched), null));
        assertEquals("greeting", out.get("label").toString());

        ObjectNode wrongType = decoded.event().deepCopy().put("n", "seven");
        var e = assertThrows(InvalidEventException.class, () -> avro.write("notes.enriched", decoded, wrongType));
        assertEquals("unwritable-avro", e.reason());
    }

    @Test
    void avroWritesJsonWhenAskedAndRefusesAnOutputFormatItCannotWrite(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("note.avsc"), NOTE.toString());
        ValueFormat avro = ValueFormats.create("avro", Map.of("schemaFile", file.toString(), "outputFormat", "json"));
        ValueFormat.Decoded decoded = avro.read("notes", noteBytes());
        byte[] out = avro.write("notes.enriched", decoded, decoded.event().deepCopy().put("label", "greeting"));
        assertEquals("{\"text\":\"hello\",\"n\":7,\"label\":\"greeting\"}", new String(out, StandardCharsets.UTF_8));
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> ValueFormats.create("avro", Map.of("schemaFile", file.toString(), "outputFormat", "text")));
        assertEquals("Output format 'text' does not fit --value-format avro: leave it out (a record of the evolved avro schema)"
                + " or give json (--output-format json; topology file: outputFormat).", wrong.getMessage());
    }

    @Test
    void jsonSchemaReadsJsonAndRefusesAnEventThatBreaksTheSchema(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("note.json"), """
                {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}""");
        ValueFormat format = ValueFormats.create("json-schema", Map.of("schemaFile", file.toString()));
        var decoded = format.read("notes", "{\"text\": \"hi\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"text\":\"hi\",\"label\":\"x\"}", new String(format.write("out", decoded, decoded.event().put("label", "x")),
                StandardCharsets.UTF_8));
        var e = assertThrows(InvalidEventException.class, () -> format.read("notes", "{\"body\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("schema-mismatch", e.reason());
    }

    @Test
    void aFormatWithoutItsSchemaFileIsRefusedAtStartupWithTheFix() {
        var avro = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("avro", Map.of()));
        assertTrue(avro.getMessage().endsWith("(--schema-file; topology file: schemaFile)."), avro.getMessage());
        var json = assertThrows(IllegalArgumentException.class, () -> ValueFormats.create("json-schema", Map.of()));
        assertTrue(json.getMessage().endsWith("(--schema-file; topology file: schemaFile)."), json.getMessage());
    }
}
