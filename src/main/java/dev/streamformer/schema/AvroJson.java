package dev.streamformer.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Avro values as JSON and back, guided by the schema: a record is an object, an array an array, a map an object, a
 * union is its one branch's value (no {@code {"string": ...}} wrapper), an enum its symbol, a {@code decimal} a number
 * with its scale, and other {@code bytes} and {@code fixed} are base64 strings. Numbers keep their Avro type (int, long, float, double), so a value read and written
 * back is the same value.
 */
final class AvroJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();

    private AvroJson() {}

    /** The record as a JSON object. */
    static ObjectNode toJson(GenericRecord record) {
        return (ObjectNode) value(record, record.getSchema());
    }

    /** A JSON object as a record of {@code schema}; {@link IllegalArgumentException} when a field does not fit its type. */
    static GenericRecord toRecord(ObjectNode json, Schema schema) {
        return (GenericRecord) avro(json, schema, schema.getName());
    }

    private static JsonNode value(Object value, Schema schema) {
        return switch (schema.getType()) {
            case NULL -> JSON.nullNode();
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case INT -> JSON.numberNode((Integer) value);
            case LONG -> JSON.numberNode((Long) value);
            case FLOAT -> JSON.numberNode((Float) value);
            case DOUBLE -> JSON.numberNode((Double) value);
            case STRING, ENUM -> JSON.textNode(value.toString());
            case BYTES -> schema.getLogicalType() instanceof LogicalTypes.Decimal decimal
                    ? JSON.numberNode(DECIMAL.fromBytes(((ByteBuffer) value).duplicate(), schema, decimal))
                    : JSON.textNode(base64((ByteBuffer) value));
            case FIXED -> schema.getLogicalType() instanceof LogicalTypes.Decimal decimal
                    ? JSON.numberNode(DECIMAL.fromFixed((GenericFixed) value, schema, decimal))
                    : JSON.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case ARRAY -> {
                ArrayNode array = JSON.arrayNode();
                for (Object element : (Iterable<?>) value) {
                    array.add(value(element, schema.getElementType()));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode map = JSON.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> map.set(k.toString(), value(v, schema.getValueType())));
                yield map;
            }
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                ObjectNode object = JSON.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), value(record.get(field.pos()), field.schema()));
                }
                yield object;
            }
            case UNION -> value(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
        };
    }

    private static String base64(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return Base64.getEncoder().encodeToString(copy);
    }

    private static Object avro(JsonNode node, Schema schema, String path) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (fits(node, branch)) {
                    return avro(node, branch, path);
                }
            }
            throw new IllegalArgumentException("'" + path + "' is a " + kind(node) + ", which none of " + schema.getTypes() + " takes.");
        }
        if (!fits(node, schema)) {
            throw new IllegalArgumentException("'" + path + "' is a " + kind(node) + ", expected " + schema.getType().getName() + ".");
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            return decimal(node, schema, decimal, path);
        }
        return switch (schema.getType()) {
            case NULL -> null;
            case BOOLEAN -> node.booleanValue();
            case INT -> node.intValue();
            case LONG -> node.longValue();
            case FLOAT -> node.floatValue();
            case DOUBLE -> node.doubleValue();
            case STRING -> node.textValue();
            case ENUM -> new GenericData.EnumSymbol(schema, node.textValue());
            case BYTES -> ByteBuffer.wrap(Base64.getDecoder().decode(node.textValue()));
            case FIXED -> {
                byte[] bytes = Base64.getDecoder().decode(node.textValue());
                if (bytes.length != schema.getFixedSize()) {
                    throw new IllegalArgumentException("'" + path + "' holds " + bytes.length + " bytes, expected "
                            + schema.getFixedSize() + ".");
                }
                yield new GenericData.Fixed(schema, bytes);
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(avro(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                yield new GenericData.Array<>(schema, list);
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), avro(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
                yield map;
            }
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode fieldValue = node.get(field.name());
                    if (fieldValue == null && field.hasDefaultValue()) {
                        record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    } else {
                        record.put(field.pos(), avro(fieldValue == null ? JSON.nullNode() : fieldValue, field.schema(),
                                path + "." + field.name()));
                    }
                }
                yield record;
            }
            case UNION -> throw new AssertionError("unions are resolved above");
        };
    }

    /** A number as a decimal of the schema's scale ({@code bytes} or {@code fixed}); one that needs rounding is refused. */
    private static Object decimal(JsonNode node, Schema schema, LogicalTypes.Decimal decimal, String path) {
        BigDecimal value;
        try {
            value = node.decimalValue().setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + path + "' is " + node.decimalValue().toPlainString()
                    + ", which has more than the " + decimal.getScale() + " decimal places its schema keeps.", e);
        }
        if (value.precision() > decimal.getPrecision()) {
            throw new IllegalArgumentException("'" + path + "' is " + value.toPlainString() + ", more than the "
                    + decimal.getPrecision() + " digits its schema keeps.");
        }
        return schema.getType() == Schema.Type.FIXED
                ? DECIMAL.toFixed(value, schema, decimal)
                : DECIMAL.toBytes(value, schema, decimal);
    }

    /** Whether {@code node} can be written as {@code schema} (for a union: whether this branch takes it). */
    private static boolean fits(JsonNode node, Schema schema) {
        return switch (schema.getType()) {
            case NULL -> node.isNull();
            case BOOLEAN -> node.isBoolean();
            case INT -> node.isIntegralNumber() && node.canConvertToInt();
            case LONG -> node.isIntegralNumber() && node.canConvertToLong();
            case FLOAT, DOUBLE -> node.isNumber();
            case STRING -> node.isTextual();
            case ENUM -> node.isTextual() && schema.hasEnumSymbol(node.textValue());
            case BYTES, FIXED -> schema.getLogicalType() instanceof LogicalTypes.Decimal ? node.isNumber() : node.isTextual();
            case ARRAY -> node.isArray();
            case MAP, RECORD -> node.isObject();
            case UNION -> schema.getTypes().stream().anyMatch(branch -> fits(node, branch));
        };
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }
}
