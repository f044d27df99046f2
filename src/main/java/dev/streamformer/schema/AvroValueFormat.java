package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.AvroRuntimeException;

import java.nio.file.Path;
import java.util.Map;

/**
 * Format {@value #NAME}: each value is the raw Avro binary of a record of the schema in the stage's schema file
 * ({@code --schema-file}; topology file: {@code schemaFile}), without a registry's wire-format prefix
 * [{@code schema-mismatch} when it is not]; the output is the Avro binary of the enriched record, of the evolved schema
 * (the input schema plus the result fields) [{@code unwritable-avro} when a result does not fit a field's type].
 */
public final class AvroValueFormat implements ValueFormat {

    public static final String NAME = "avro";
    /** The reason of an enriched event that is not a record of its evolved schema. */
    public static final String UNWRITABLE = "unwritable-avro";

    /** Found by {@link java.util.ServiceLoader}: listed in {@code META-INF/services}. */
    public static final class Provider implements ValueFormat.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ValueFormat create(Map<String, String> settings) {
            String file = SchemaSettings.schemaFile(settings, NAME, "Avro schema: give its .avsc file", "--schema-file");
            AvroFormat avro = AvroFormat.fromSchemaFile(Path.of(file));
            SchemaSettings.textField(settings).ifPresent(avro::requireTextField);
            return SchemaSettings.withOutput(settings, NAME, "record", new AvroValueFormat(avro));
        }
    }

    private final AvroFormat avro;

    AvroValueFormat(AvroFormat avro) {
        this.avro = avro;
    }

    @Override
    public Decoded read(String topic, byte[] value) {
        return new Decoded(avro.read(value), null);
    }

    @Override
    public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
        try {
            return avro.write(enriched);
        } catch (IllegalArgumentException | AvroRuntimeException e) {
            throw new InvalidEventException(UNWRITABLE, "The enriched event is not a record of its evolved Avro schema: "
                    + e.getMessage(), e);
        }
    }
}
