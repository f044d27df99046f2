package dev.streamformer.schema;

import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/**
 * The stage settings that the schema formats ({@code avro}, {@code protobuf}, {@code json-schema}) share, each read
 * and checked here once, so that every format refuses a missing or wrong setting in the same one sentence.
 */
final class SchemaSettings {

    /** The setting that names the producer's schema file ({@code --schema-file}; topology file: {@code schemaFile}). */
    static final String SCHEMA_FILE = "schemaFile";
    /**
     * The setting that names the stage's text field (a dotted path or a JSON Pointer), when the text is one field: a
     * schema without it is refused at startup.
     */
    static final String TEXT_FIELD = "textField";
    /** The setting that asks a binary format (Avro, Protobuf) to write the enriched event as JSON. */
    static final String OUTPUT_FORMAT = "outputFormat";

    private SchemaSettings() {}

    /**
     * The stage's schema file, or a refusal naming {@code what} the format needs and the option that gives it, e.g.
     * {@code what} "Avro schema: give its .avsc file" and {@code option} "--schema-file".
     */
    static String schemaFile(Map<String, String> settings, String format, String what, String option) {
        String file = settings.get(SCHEMA_FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("The value format " + format + " needs the producer's " + what + " ("
                    + option + "; topology file: " + SCHEMA_FILE + ").");
        }
        return file;
    }

    /** The stage's text field, when it names one (the schema must then hold it as a string). */
    static Optional<String> textField(Map<String, String> settings) {
        return Optional.ofNullable(settings.get(TEXT_FIELD));
    }

    /**
     * The binary format {@code binary} (Avro, Protobuf) as the stage's settings ask it to write: by default a value of
     * the evolved schema (its {@code unit}: an Avro record, a Protobuf message), or with {@code outputFormat json} /
     * {@code --output-format json} the enriched event as JSON, for consumers that do not read the producer's schema; an
     * output format other than the format's own name or json is refused in one sentence.
     */
    static ValueFormat withOutput(Map<String, String> settings, String format, String unit, ValueFormat binary) {
        String output = settings.get(OUTPUT_FORMAT);
        if (output == null || output.equals(format)) return binary;
        if (output.equals("json")) return new JsonOutput(binary);
        throw new IllegalArgumentException("Output format '" + output + "' does not fit --value-format " + format
                + ": leave it out (a " + unit + " of the evolved " + format + " schema) or give json (--output-format json;"
                + " topology file: " + OUTPUT_FORMAT + ").");
    }

    /** Reads as the binary format does, writes the enriched event as JSON. */
    private record JsonOutput(ValueFormat binary) implements ValueFormat {
        @Override
        public Decoded read(String topic, byte[] value) {
            return binary.read(topic, value);
        }

        @Override
        public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
            return ValueFormats.writeJson(enriched);
        }
    }
}
