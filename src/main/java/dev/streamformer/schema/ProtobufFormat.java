package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf values of one message type, read into events and written back enriched: a value is the Protobuf binary of
 * a message of the producer's type (no registry's wire-format prefix), read by protobuf-java's {@link DynamicMessage}
 * into a JSON object by {@link ProtobufJson}; the enriched event is written as a message of its
 * {@link EvolvedMessage}: the input's bytes as they came (unknown fields included) plus the result fields. Thread-safe.
 */
public final class ProtobufFormat {

    private static final Logger log = LoggerFactory.getLogger(ProtobufFormat.class);

    private final Descriptor message;
    private final Map<DescriptorProto, Descriptor> evolved = new ConcurrentHashMap<>();

    ProtobufFormat(Descriptor message) {
        this.message = message;
    }

    /**
     * The message of a schema file: {@code FILE.proto}, {@code FILE.proto#package.Message}, or a descriptor set
     * ({@code .desc}); one sentence with the fix when it cannot be used.
     */
    public static ProtobufFormat fromSchemaFile(String spec) {
        return new ProtobufFormat(ProtobufSchema.load(spec));
    }

    public Descriptor messageType() {
        return message;
    }

    /**
     * Refuses at startup a text field that no record of this message can have: {@code path} (dotted, or a JSON Pointer)
     * must name a string field, through singular message fields.
     */
    public void requireTextField(String path) {
        String[] names = path.startsWith("/") ? path.substring(1).split("/") : path.split("\\.");
        Descriptor type = message;
        for (int i = 0; i < names.length; i++) {
            FieldDescriptor field = type.findFieldByName(names[i]);
            boolean last = i == names.length - 1;
            boolean fits = field != null && !field.isRepeated() && (last
                    ? field.getType() == FieldDescriptor.Type.STRING
                    : field.getJavaType() == FieldDescriptor.JavaType.MESSAGE);
            if (!fits) {
                throw new IllegalArgumentException("The Protobuf message " + message.getFullName() + " has no string field '"
                        + path + "' (" + type.getName() + "'s fields: " + String.join(", ", type.getFields().stream()
                        .map(FieldDescriptor::getName).toList()) + "): name the field that holds the text"
                        + " (--text-field; topology file: textField), or give the producer's message (--schema-file FILE#package.Message).");
            }
            if (!last) {
                type = field.getMessageType();
            }
        }
    }

    /** A value as its message; {@value AvroFormat#SCHEMA_MISMATCH} or {@value ConfluentWireFormat#REASON} when it is none. */
    public DynamicMessage read(byte[] value) {
        if (value == null) {
            throw new InvalidEventException(AvroFormat.SCHEMA_MISMATCH, "The record has no value (null); expected a Protobuf message.");
        }
        if (ConfluentWireFormat.mayBe(value)) {
            // a message never starts with byte 0 (field number 0 does not exist): this is a registry's framing
            throw ConfluentWireFormat.refused(value, "a Protobuf message of '" + message.getFullName() + "'");
        }
        try {
            return DynamicMessage.parseFrom(message, value);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEventException(AvroFormat.SCHEMA_MISMATCH, "The value is not a Protobuf message of '"
                    + message.getFullName() + "' (" + e.getMessage() + "): it was truncated or written with another schema;"
                    + " give the producer's .proto (--schema-file).", e);
        }
    }

    /** The message as the event it holds. */
    public ObjectNode toEvent(DynamicMessage input) {
        return ProtobufJson.toJson(input);
    }

    /** The message type that {@link #write} uses for this enriched event: the input message plus its result fields. */
    public Descriptor outputType(ObjectNode enriched) {
        return evolved.computeIfAbsent(EvolvedMessage.of(message, enriched), proto -> {
            Descriptor type = EvolvedMessage.build(message, proto);
            log.info("Enriched Protobuf messages are written as this message (the input message plus the result fields,"
                    + " numbered from their names); readers of the output need it:\n{}", ProtoText.file(type));
            return type;
        });
    }

    /** The output type as {@code .proto} text. */
    public String outputProto(ObjectNode enriched) {
        return ProtoText.file(outputType(enriched));
    }

    /**
     * The output value for {@code input}, now {@code enriched}: the Protobuf binary of a message of {@link #outputType}.
     * The input's fields and unknown fields are kept as they came, unless {@code inputDropped} (the result alone is
     * written); a result field that replaces an input field takes its type. {@link IllegalArgumentException} when a
     * value does not fit its field.
     */
    public byte[] write(DynamicMessage input, ObjectNode enriched, boolean inputDropped) {
        Descriptor type = outputType(enriched);
        DynamicMessage.Builder out = DynamicMessage.newBuilder(type);
        if (!inputDropped) {
            try {
                out.mergeFrom(input.toByteString());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("The input message does not read as its evolved message", e);
            }
        }
        for (Map.Entry<String, JsonNode> field : enriched.properties()) {
            FieldDescriptor inputField = message.findFieldByName(field.getKey());
            if (!inputDropped && inputField != null && field.getValue().equals(ProtobufJson.field(input, inputField))) {
                continue; // as it came
            }
            FieldDescriptor outputField = type.findFieldByName(field.getKey());
            if (outputField != null) { // null: a result that is null, which Protobuf cannot hold
                ProtobufJson.set(out, outputField, field.getValue(), field.getKey());
            }
        }
        return out.build().toByteArray();
    }
}
