package dev.streamformer.schema;

import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Map;

/**
 * Format {@value #NAME}: the value is read as by format {@code json} and must then match the JSON Schema in the stage's
 * schema file ({@code --schema-file}; topology file: {@code schemaFile}) [{@code schema-mismatch}]; the output is the
 * enriched event as format {@code json} writes it.
 */
public final class JsonSchemaValueFormat implements ValueFormat {

    public static final String NAME = "json-schema";

    /** Found by {@link java.util.ServiceLoader}: listed in {@code META-INF/services}. */
    public static final class Provider implements ValueFormat.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ValueFormat create(Map<String, String> settings) {
            String file = SchemaSettings.schemaFile(settings, NAME, "JSON Schema: give its file", "--schema-file");
            return new JsonSchemaValueFormat(ValueFormats.create(ValueFormats.DEFAULT, settings),
                    JsonSchemaFormat.fromSchemaFile(Path.of(file)));
        }
    }

    private final ValueFormat json;
    private final JsonSchemaFormat schema;

    JsonSchemaValueFormat(ValueFormat json, JsonSchemaFormat schema) {
        this.json = json;
        this.schema = schema;
    }

    @Override
    public Decoded read(String topic, byte[] value) {
        Decoded decoded = json.read(topic, value);
        schema.check(decoded.event());
        return decoded;
    }

    @Override
    public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
        return json.write(outputTopic, input, enriched);
    }
}
