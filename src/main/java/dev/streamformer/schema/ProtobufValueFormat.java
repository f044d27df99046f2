package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DynamicMessage;

import java.util.Map;

/**
 * Format {@value #NAME}: each value is the Protobuf binary of a message of the type in the stage's schema file
 * ({@code --schema-file FILE.proto#package.Message}, or a {@code protoc} descriptor set; topology file:
 * {@code schemaFile}), without a registry's wire-format prefix [{@code schema-mismatch} when it is not a message,
 * {@code wire-format-prefix} when it carries one]; the output is the Protobuf binary of the enriched message: the input
 * message as it came, unknown fields included, plus the result fields ({@link EvolvedMessage})
 * [{@code unwritable-protobuf} when a result does not fit a field's type].
 */
public final class ProtobufValueFormat implements ValueFormat {

    public static final String NAME = "protobuf";
    /** The reason of an enriched event that is not a message of its evolved type. */
    public static final String UNWRITABLE = "unwritable-protobuf";

    /** Found by {@link java.util.ServiceLoader}: listed in {@code META-INF/services}. */
    public static final class Provider implements ValueFormat.Provider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ValueFormat create(Map<String, String> settings) {
            String file = SchemaSettings.schemaFile(settings, NAME, "message type: give its .proto file",
                    "--schema-file FILE.proto#package.Message");
            ProtobufFormat protobuf = ProtobufFormat.fromSchemaFile(file);
            SchemaSettings.textField(settings).ifPresent(protobuf::requireTextField);
            return SchemaSettings.withOutput(settings, NAME, "message", new ProtobufValueFormat(protobuf));
        }
    }

    private final ProtobufFormat protobuf;

    ProtobufValueFormat(ProtobufFormat protobuf) {
        this.protobuf = protobuf;
    }

    @Override
    public Decoded read(String topic, byte[] value) {
        DynamicMessage message = protobuf.read(value);
        return new Decoded(protobuf.toEvent(message), message);
    }

    @Override
    public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
        try {
            // the enrichment adds to the input event in place, or (dropping the input fields) makes a new object
            return protobuf.write((DynamicMessage) input.writerState(), enriched, enriched != input.event());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(UNWRITABLE, "The enriched event is not a message of its evolved Protobuf type: "
                    + e.getMessage(), e);
        }
    }
}
