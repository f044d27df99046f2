package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro values of one writer schema, read into events and written back enriched: a value is the raw Avro binary of a
 * record of the writer schema (no wire-format prefix), read into a JSON object by {@link AvroJson}; the enriched event
 * is written as a record of its {@link EvolvedSchema}. Thread-safe.
 */
public final class AvroFormat {

    /** The reason of a value that is not a record of the writer schema. */
    public static final String SCHEMA_MISMATCH = "schema-mismatch";

    private static final Logger log = LoggerFactory.getLogger(AvroFormat.class);

    private final Schema writer;
    private final GenericDatumReader<GenericRecord> reader;
    private final Map<Schema, GenericDatumWriter<GenericRecord>> writers = new ConcurrentHashMap<>();

    public AvroFormat(Schema writer) {
        if (writer.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("The Avro schema is a " + writer.getType().getName()
                    + ", expected a record: events are records with a text field.");
        }
        this.writer = writer;
        this.reader = new GenericDatumReader<>(writer);
    }

    /** The writer schema in an Avro schema file ({@code .avsc}); one sentence with the fix when it cannot be used. */
    public static AvroFormat fromSchemaFile(Path file) {
        try {
            return new AvroFormat(new Schema.Parser().parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The Avro schema file " + file + " does not exist: give the path of the .avsc"
                    + " the producer writes with (--schema-file).", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the Avro schema file " + file + " (" + e.getMessage()
                    + "): give the path of a readable .avsc file (--schema-file).", e);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException("The Avro schema file " + file + " is not a valid schema (" + e.getMessage()
                    + "): fix it, or give the .avsc the producer writes with (--schema-file).", e);
        }
    }

    public Schema writerSchema() {
        return writer;
    }

    /** A value as the event it holds; {@value #SCHEMA_MISMATCH} when its bytes are not one record of the writer schema. */
    public ObjectNode read(byte[] value) {
        if (value == null) {
            throw new InvalidEventException(SCHEMA_MISMATCH, "The record has no value (null); expected an Avro record.");
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, null);
        GenericRecord record;
        boolean trailingBytes;
        try {
            record = reader.read(null, decoder);
            trailingBytes = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            if (isFramed(value)) {
                throw ConfluentWireFormat.refused(value, "an Avro record of '" + writer.getFullName() + "'");
            }
            throw new InvalidEventException(SCHEMA_MISMATCH, "The value is not an Avro record of '" + writer.getFullName()
                    + "' (" + e.getClass().getSimpleName() + "): it was truncated or written with another schema;"
                    + " give the producer's schema (--schema-file).", e);
        }
        if (trailingBytes && isFramed(value)) {
            throw ConfluentWireFormat.refused(value, "an Avro record of '" + writer.getFullName() + "'");
        }
        if (trailingBytes) {
            throw new InvalidEventException(SCHEMA_MISMATCH, "The value has bytes after its Avro record of '"
                    + writer.getFullName() + "': it was written with another schema; give that one (--schema-file).");
        }
        return AvroJson.toJson(record);
    }

    /**
     * Whether the value is a registry-framed record: a Confluent prefix (byte 0, a 4-byte schema id) and after it one
     * whole record of the writer schema. Asked only of a value that does not read as a record by itself: a raw record
     * may start with byte 0 too (e.g. a first field 0 or "").
     */
    private boolean isFramed(byte[] value) {
        if (!ConfluentWireFormat.mayBe(value)) {
            return false;
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        try {
            reader.read(null, decoder);
            return decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Refuses at startup a text field that no record of the writer schema can have: {@code path} (dotted, or a JSON
     * Pointer) must name a field of type string (or a union with string), through record fields.
     */
    public void requireTextField(String path) {
        String[] names = path.startsWith("/") ? path.substring(1).split("/") : path.split("\\.");
        Schema type = writer;
        for (int i = 0; i < names.length; i++) {
            Schema.Field field = type.getType() == Schema.Type.RECORD ? type.getField(names[i]) : null;
            Schema found = field == null ? null : branch(field.schema(), i == names.length - 1 ? Schema.Type.STRING : Schema.Type.RECORD);
            if (found == null) {
                throw new IllegalArgumentException("The Avro schema " + writer.getFullName() + " has no string field '" + path
                        + "' (" + type.getName() + "'s fields: " + (type.getType() == Schema.Type.RECORD
                        ? String.join(", ", type.getFields().stream().map(Schema.Field::name).toList()) : "none")
                        + "): name the field that holds the text (--text-field; topology file: textField), or give the"
                        + " producer's schema (--schema-file).");
            }
            type = found;
        }
    }

    /** {@code schema} when it is of {@code type}, or its union branch of that type; null when it has none. */
    private static Schema branch(Schema schema, Schema.Type type) {
        if (schema.getType() == type) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            return schema.getTypes().stream().filter(s -> s.getType() == type).findFirst().orElse(null);
        }
        return null;
    }

    /** The schema that {@link #write} uses for this enriched event: the writer schema plus its result fields. */
    public Schema outputSchema(ObjectNode enriched) {
        return EvolvedSchema.of(writer, enriched);
    }

    /**
     * The enriched event as the Avro binary of a record of {@link #outputSchema}; {@link IllegalArgumentException} when
     * a field no longer fits its type in the writer schema (e.g. a result replaced an input field of another type).
     */
    public byte[] write(ObjectNode enriched) {
        Schema schema = outputSchema(enriched);
        GenericRecord record = AvroJson.toRecord(enriched, schema);
        GenericDatumWriter<GenericRecord> datumWriter = writers.computeIfAbsent(schema, first -> {
            log.info("Enriched Avro records are written with this schema (the input schema plus the result fields, each"
                    + " optional); readers of the output need it: {}", first);
            return new GenericDatumWriter<>(first);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            datumWriter.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
