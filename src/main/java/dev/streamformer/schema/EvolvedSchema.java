package dev.streamformer.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The schema of an enriched event: the input record schema plus one field per result field that the input schema
 * lacks (e.g. {@code embedding}, {@code label}, {@code model}). Each added field is a union of {@code null} and the
 * type of its value, with the default {@code null}, so a reader of the evolved schema still reads every record of the
 * input schema: the evolved schema is BACKWARD compatible, as a registry checks under the output topic's subject.
 *
 * <p>The type of an added field comes from its value: a string is {@code string}, a boolean {@code boolean}, a whole
 * number {@code long}, any other number {@code double}, an array of numbers an array of {@code double} (or of
 * {@code long} when all are whole), an object a record of its fields, or a map when a key is not an Avro name (e.g. the
 * scores of labels like {@code very positive}). A result field that the input schema already has
 * keeps the input's type. Input fields that the enriched event no longer has ({@code --drop-input-fields}) are left
 * out; that schema is no longer BACKWARD compatible with the input schema, as asked.
 */
final class EvolvedSchema {

    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EvolvedSchema() {}

    /** The fields of {@code input} that {@code enriched} has, plus optional fields for those of {@code enriched} it lacks. */
    static Schema of(Schema input, ObjectNode enriched) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : input.getFields()) {
            if (enriched.has(field.name())) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        for (Map.Entry<String, JsonNode> result : enriched.properties()) {
            if (input.getField(result.getKey()) == null && !result.getValue().isNull()) {
                if (!isName(result.getKey())) {
                    throw new IllegalArgumentException("The result field '" + result.getKey() + "' is not an Avro field name"
                            + " (letters, digits and _, not starting with a digit): name it so (--output-field).");
                }
                Schema type = typeOf(result.getValue(), input.getName() + "_" + result.getKey());
                Schema optional = Schema.createUnion(Schema.create(Schema.Type.NULL), type);
                fields.add(new Schema.Field(result.getKey(), optional, "Added by Streamformer.", JsonProperties.NULL_VALUE));
            }
        }
        Schema evolved = Schema.createRecord(input.getName(), input.getDoc(), input.getNamespace(), input.isError(), fields);
        input.getObjectProps().forEach(evolved::addProp);
        return evolved;
    }

    private static Schema typeOf(JsonNode value, String recordName) {
        if (value.isTextual()) {
            return Schema.create(Schema.Type.STRING);
        }
        if (value.isBoolean()) {
            return Schema.create(Schema.Type.BOOLEAN);
        }
        if (value.isNumber()) {
            return Schema.create(value.isIntegralNumber() ? Schema.Type.LONG : Schema.Type.DOUBLE);
        }
        if (value.isArray()) {
            return Schema.createArray(elementType(value, recordName));
        }
        if (value.isObject() && !allNames(value)) {
            return Schema.createMap(elementType(value, recordName));
        }
        if (value.isObject()) {
            List<Schema.Field> fields = new ArrayList<>();
            value.properties().forEach(e -> fields.add(new Schema.Field(e.getKey(), nullable(e.getValue(), recordName + "_" + e.getKey()))));
            return Schema.createRecord(recordName, null, null, false, fields);
        }
        throw new IllegalArgumentException("A result value of type " + value.getNodeType() + " has no Avro type.");
    }

    private static boolean isName(String key) {
        return AVRO_NAME.matcher(key).matches();
    }

    private static boolean allNames(JsonNode object) {
        return object.propertyStream().allMatch(e -> isName(e.getKey()));
    }

    /**
     * The type of an array's elements (or of an object's values, for a map): whole numbers stay {@code long} only when
     * every one is.
     */
    private static Schema elementType(JsonNode container, String recordName) {
        if (container.isEmpty()) {
            return Schema.create(Schema.Type.STRING);
        }
        boolean allNumbers = true;
        boolean allWhole = true;
        for (JsonNode element : container) {
            allNumbers &= element.isNumber();
            allWhole &= element.isIntegralNumber();
        }
        if (allNumbers) {
            return Schema.create(allWhole ? Schema.Type.LONG : Schema.Type.DOUBLE);
        }
        return typeOf(container.iterator().next(), recordName + "_item");
    }

    private static Schema nullable(JsonNode value, String recordName) {
        return value.isNull() ? Schema.create(Schema.Type.NULL) : typeOf(value, recordName);
    }
}
