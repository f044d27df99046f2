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
            throw new InvalidEventException(SCHEMA_MISMATCH, "The value is not an Avro record of '" + writer.getFullName()
                    + "' (" + e.getClass().getSimpleName() + "): it was truncated or written with another schema;"
                    + " give the producer's schema (--schema-file).", e);
        }
        if (trailingBytes) {
            throw new InvalidEventException(SCHEMA_MISMATCH, "The value has bytes after its Avro record of '"
                    + writer.getFullName() + "': it was written with another schema; give that one (--schema-file).");
        }
        return AvroJson.toJson(record);
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
