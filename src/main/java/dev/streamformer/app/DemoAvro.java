package dev.streamformer.app;

import dev.streamformer.model.ModelRegistry;
import dev.streamformer.schema.AvroFormat;
import dev.streamformer.streams.PipelineConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code demo --value-format avro}: the sample events as raw Avro records of the bundled schema {@code demo/event.avsc}
 * (written where the stage reads it, since {@code --schema-file} is a file), and the enriched records read back with
 * the schema the stage writes them with: the input schema plus the embed task's fields (see the {@code schema} package).
 */
final class DemoAvro {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path schemaFile;
    private final Schema schema;
    /** What an enriched record can be written as: the input plus embedding and model, and with truncated. */
    private final List<Schema> outputSchemas;

    private DemoAvro(Path schemaFile, Schema schema) {
        this.schemaFile = schemaFile;
        this.schema = schema;
        AvroFormat format = new AvroFormat(schema);
        ObjectNode enriched = JSON.createObjectNode().put("id", "").put("text", "").put("source", "");
        enriched.putArray("embedding").add(0.5);
        enriched.put("model", "");
        this.outputSchemas = List.of(format.outputSchema(enriched), format.outputSchema(enriched.deepCopy().put("truncated", true)));
    }

    /** The bundled schema, copied to {@code $STREAMFORMER_HOME/demo-event.avsc}. */
    static DemoAvro bundled() throws IOException {
        try (InputStream in = DemoAvro.class.getResourceAsStream("/demo/event.avsc")) {
            byte[] text = in.readAllBytes();
            Path file = Files.createDirectories(ModelRegistry.defaultCacheDir()).resolve("demo-event.avsc");
            Files.write(file, text);
            return new DemoAvro(file, new Schema.Parser().parse(new String(text, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** The stage's value format: Avro records of the schema file, text field {@code text}. */
    PipelineConfig.Format format() {
        return new PipelineConfig.Format("avro", Map.of("schemaFile", schemaFile.toString(), "textField", "text"));
    }

    /**
     * A JSON line as an Avro record; a line that cannot be one (not JSON, a text that is not a string) goes as it is,
     * so that the stage dead-letters it, as it would a producer's mistake.
     */
    byte[] record(byte[] line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException e) {
            return line;
        }
        if (event == null || !event.isObject() || (event.has("text") && !event.get("text").isTextual())) {
            return line;
        }
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", event.path("id").asText(""));
        record.put("text", event.has("text") ? event.get("text").textValue() : null);
        record.put("source", event.has("source") ? event.get("source").asText() : null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An enriched record as JSON, read by Apache Avro with the schema it was written with. */
    JsonNode decode(byte[] value) throws IOException {
        for (Schema output : outputSchemas) {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, null);
            try {
                GenericRecord record = new GenericDatumReader<GenericRecord>(output).read(null, decoder);
                if (decoder.isEnd()) {
                    return JSON.readTree(GenericData.get().toString(record));
                }
            } catch (IOException | RuntimeException e) {
                // written with the other schema
            }
        }
        throw new IOException("An enriched record is of none of the schemas the demo expects: " + outputSchemas);
    }
}
