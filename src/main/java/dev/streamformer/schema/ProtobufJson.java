package dev.streamformer.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;

import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/**
 * Protobuf messages as JSON and back, guided by the descriptor. Field names are the {@code .proto}'s own
 * ({@code review_text}, not {@code reviewText}), so {@code --text-field} names what the schema says. A message is an
 * object; a repeated field an array; a map field an object (keys as strings); an enum its value's name; {@code bytes}
 * base64; 32-bit integers and {@code float} stay what they are, unsigned ones are read unsigned. A field with presence
 * (a message, a proto2 or proto3 {@code optional} field, a {@code oneof} member) is in the object only when set; other
 * fields always, with their default when unset, as a reader of the message sees them. Unknown fields are not in the
 * JSON: the writer keeps them from the input's bytes.
 */
final class ProtobufJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);

    private ProtobufJson() {}

    /** The message as a JSON object. */
    static ObjectNode toJson(MessageOrBuilder message) {
        ObjectNode object = JSON.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            JsonNode value = field(message, field);
            if (value != null) {
                object.set(field.getName(), value);
            }
        }
        return object;
    }

    /** One field as JSON; null when it has presence and is not set. */
    static JsonNode field(MessageOrBuilder message, FieldDescriptor field) {
        if (field.isMapField()) {
            ObjectNode map = JSON.objectNode();
            for (Object entry : (List<?>) message.getField(field)) {
                Message pair = (Message) entry;
                Descriptor type = field.getMessageType();
                map.set(String.valueOf(pair.getField(type.findFieldByNumber(1))),
                        value(pair.getField(type.findFieldByNumber(2)), type.findFieldByNumber(2)));
            }
            return map;
        }
        if (field.isRepeated()) {
            ArrayNode array = JSON.arrayNode();
            for (Object element : (List<?>) message.getField(field)) {
                array.add(value(element, field));
            }
            return array;
        }
        if (field.hasPresence() && !message.hasField(field)) {
            return null;
        }
        return value(message.getField(field), field);
    }

    private static JsonNode value(Object value, FieldDescriptor field) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> JSON.numberNode((Integer) value);
            case UINT32, FIXED32 -> JSON.numberNode(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> JSON.numberNode((Long) value);
            case UINT64, FIXED64 -> (Long) value >= 0 ? JSON.numberNode((Long) value)
                    : JSON.numberNode(new BigInteger(Long.toUnsignedString((Long) value)));
            case FLOAT -> JSON.numberNode((Float) value);
            case DOUBLE -> JSON.numberNode((Double) value);
            case BOOL -> JSON.booleanNode((Boolean) value);
            case STRING -> JSON.textNode((String) value);
            case BYTES -> JSON.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> JSON.textNode(((EnumValueDescriptor) value).getName());
            case MESSAGE, GROUP -> toJson((Message) value);
        };
    }

    /**
     * Sets {@code field} of {@code builder} to the JSON {@code node} (an array for a repeated field, an object for a map
     * field or a message); {@link IllegalArgumentException} naming {@code path} when it does not fit the field's type.
     */
    static void set(DynamicMessage.Builder builder, FieldDescriptor field, JsonNode node, String path) {
        builder.clearField(field);
        if (field.isMapField()) {
            require(node.isObject(), node, "an object (a map)", path);
            Descriptor entry = field.getMessageType();
            node.properties().forEach(e -> {
                DynamicMessage.Builder pair = DynamicMessage.newBuilder(entry);
                pair.setField(entry.findFieldByNumber(1), scalar(JSON.textNode(e.getKey()), entry.findFieldByNumber(1), path));
                pair.setField(entry.findFieldByNumber(2), single(e.getValue(), entry.findFieldByNumber(2), path + "." + e.getKey()));
                builder.addRepeatedField(field, pair.build());
            });
        } else if (field.isRepeated()) {
            require(node.isArray(), node, "an array", path);
            for (int i = 0; i < node.size(); i++) {
                builder.addRepeatedField(field, single(node.get(i), field, path + "[" + i + "]"));
            }
        } else if (!node.isNull()) {
            builder.setField(field, single(node, field, path));
        }
    }

    private static Object single(JsonNode node, FieldDescriptor field, String path) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            require(node.isObject(), node, "an object (message " + field.getMessageType().getFullName() + ")", path);
            Descriptor type = field.getMessageType();
            DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
            node.properties().forEach(e -> {
                FieldDescriptor inner = type.findFieldByName(e.getKey());
                if (inner == null) {
                    throw new IllegalArgumentException("'" + path + "." + e.getKey() + "' is not a field of " + type.getFullName() + ".");
                }
                set(message, inner, e.getValue(), path + "." + e.getKey());
            });
            return message.build();
        }
        return scalar(node, field, path);
    }

    private static Object scalar(JsonNode node, FieldDescriptor field, String path) {
        return switch (field.getType()) {
            case INT32, SINT32, SFIXED32 -> {
                require(node.isIntegralNumber() && node.canConvertToInt(), node, "a 32-bit whole number", path);
                yield node.intValue();
            }
            case UINT32, FIXED32 -> {
                require(node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0
                        && node.longValue() <= 0xFFFF_FFFFL, node, "an unsigned 32-bit whole number", path);
                yield (int) node.longValue();
            }
            case INT64, SINT64, SFIXED64 -> {
                require(node.isIntegralNumber() && node.canConvertToLong(), node, "a 64-bit whole number", path);
                yield node.longValue();
            }
            case UINT64, FIXED64 -> {
                require(node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0
                        && node.bigIntegerValue().bitLength() <= 64, node, "an unsigned 64-bit whole number", path);
                yield node.bigIntegerValue().longValue();
            }
            case FLOAT -> {
                require(node.isNumber(), node, "a number", path);
                yield node.floatValue();
            }
            case DOUBLE -> {
                require(node.isNumber(), node, "a number", path);
                yield node.doubleValue();
            }
            case BOOL -> {
                require(node.isBoolean(), node, "a boolean", path);
                yield node.booleanValue();
            }
            case STRING -> {
                require(node.isTextual(), node, "a string", path);
                yield node.textValue();
            }
            case BYTES -> {
                require(node.isTextual(), node, "a base64 string", path);
                yield ByteString.copyFrom(Base64.getDecoder().decode(node.textValue()));
            }
            case ENUM -> {
                EnumValueDescriptor value = node.isTextual() ? field.getEnumType().findValueByName(node.textValue()) : null;
                require(value != null, node, "one of the names of enum " + field.getEnumType().getFullName(), path);
                yield value;
            }
            case MESSAGE, GROUP -> throw new AssertionError("messages are built by single()");
        };
    }

    private static void require(boolean fits, JsonNode node, String expected, String path) {
        if (!fits) {
            throw new IllegalArgumentException("'" + path + "' is a " + node.getNodeType().name().toLowerCase()
                    + ", expected " + expected + ".");
        }
    }
}
