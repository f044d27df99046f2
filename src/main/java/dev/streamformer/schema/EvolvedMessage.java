package dev.streamformer.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The message of an enriched event: the input message with every one of its fields, plus one field per result field
 * it lacks (e.g. {@code embedding}, {@code label}, {@code model}). Adding fields is a compatible change in Protobuf:
 * readers of the input message read the output and skip the new fields; readers of the output read old input records.
 *
 * <p>An added field is numbered {@value #FIRST_ADDED} + (CRC-32 of its name mod {@value #ADDED_SPAN}), so a result field
 * has the same number in every record and after every restart, whatever other fields a record has (a number from the
 * order of appearance would change when one record has {@code truncated} and the next does not). A number that is
 * already the input's, or reserved, is refused in one sentence.
 *
 * <p>Its type comes from its value, as {@link EvolvedSchema} does for Avro: a string is {@code string}, a boolean
 * {@code bool}, a whole number {@code int64}, any other number {@code double}, an array a {@code repeated} field
 * (numbers: {@code double}, or {@code int64} when all are whole), an object a nested message of its fields, or a
 * {@code map<string, …>} when a key is not a field name (e.g. the scores of labels like {@code very positive}). A null
 * is left out (Protobuf has no null).
 */
final class EvolvedMessage {

    static final int FIRST_ADDED = 100_000;
    static final int ADDED_SPAN = 100_000_000;
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EvolvedMessage() {}

    /**
     * The description of the message {@code enriched} is written as; {@link IllegalArgumentException} when a result
     * field cannot be a Protobuf field (its name, or an array of arrays).
     */
    static DescriptorProto of(Descriptor input, ObjectNode enriched) {
        DescriptorProto.Builder message = input.toProto().toBuilder();
        Set<Integer> taken = taken(message);
        Set<String> typeNames = new HashSet<>();
        message.getNestedTypeList().forEach(t -> typeNames.add(t.getName()));
        message.getEnumTypeList().forEach(t -> typeNames.add(t.getName()));
        for (Map.Entry<String, JsonNode> result : enriched.properties()) {
            if (input.findFieldByName(result.getKey()) == null && !result.getValue().isNull()) {
                addField(message, result.getKey(), result.getValue(), taken, typeNames, input.getFullName());
            }
        }
        return message.build();
    }

    /** The input's file with its message replaced by {@code evolved}, built: the evolved message's descriptor. */
    static Descriptor build(Descriptor input, DescriptorProto evolved) {
        FileDescriptorProto.Builder file = input.getFile().toProto().toBuilder();
        List<String> path = new ArrayList<>();
        for (Descriptor d = input; d != null; d = d.getContainingType()) {
            path.addFirst(d.getName());
        }
        replace(file, path, evolved);
        try {
            FileDescriptor built = FileDescriptor.buildFrom(file.build(), input.getFile().getDependencies().toArray(FileDescriptor[]::new));
            return find(built, path);
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("The result fields cannot be added to " + input.getFullName() + ": "
                    + e.getMessage() + ".", e);
        }
    }

    private static Descriptor find(FileDescriptor file, List<String> path) {
        Descriptor d = file.findMessageTypeByName(path.getFirst());
        for (String name : path.subList(1, path.size())) {
            d = d.findNestedTypeByName(name);
        }
        return d;
    }

    private static void replace(FileDescriptorProto.Builder file, List<String> path, DescriptorProto evolved) {
        for (int i = 0; i < file.getMessageTypeCount(); i++) {
            if (file.getMessageType(i).getName().equals(path.getFirst())) {
                if (path.size() == 1) {
                    file.setMessageType(i, evolved);
                } else {
                    file.setMessageType(i, replace(file.getMessageType(i).toBuilder(), path.subList(1, path.size()), evolved));
                }
                return;
            }
        }
    }

    private static DescriptorProto replace(DescriptorProto.Builder message, List<String> path, DescriptorProto evolved) {
        for (int i = 0; i < message.getNestedTypeCount(); i++) {
            if (message.getNestedType(i).getName().equals(path.getFirst())) {
                message.setNestedType(i, path.size() == 1 ? evolved
                        : replace(message.getNestedType(i).toBuilder(), path.subList(1, path.size()), evolved));
            }
        }
        return message.build();
    }

    /** Field numbers a new field may not have: the message's, its reserved ranges and its extension ranges. */
    private static Set<Integer> taken(DescriptorProto.Builder message) {
        Set<Integer> taken = new HashSet<>();
        message.getFieldList().forEach(f -> taken.add(f.getNumber()));
        return taken;
    }

    private static boolean reserved(DescriptorProto.Builder message, int number) {
        return message.getReservedRangeList().stream().anyMatch(r -> number >= r.getStart() && number < r.getEnd())
                || message.getExtensionRangeList().stream().anyMatch(r -> number >= r.getStart() && number < r.getEnd());
    }

    /** The number of an added field of this name (see the class comment). */
    static int number(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return FIRST_ADDED + (int) (crc.getValue() % ADDED_SPAN);
    }

    private static void addField(DescriptorProto.Builder message, String name, JsonNode value, Set<Integer> taken,
                                 Set<String> typeNames, String owner) {
        if (!FIELD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("The result field '" + name + "' is not a Protobuf field name (letters, digits"
                    + " and _, not starting with a digit): name it so (--output-field).");
        }
        int number = number(name);
        if (!taken.add(number) || reserved(message, number)) {
            throw new IllegalArgumentException("The result field '" + name + "' would be field " + number + " of " + owner
                    + ", which is taken or reserved: put the result into one field (--output-field) of another name.");
        }
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (value.isArray()) {
            field.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
            JsonNode element = element(value);
            if (element.isArray()) {
                throw new IllegalArgumentException("The result field '" + name + "' is an array of arrays, which Protobuf has"
                        + " no type for: use --vector-encoding base64-f32, or --output-format json.");
            }
            type(message, field, name, element, typeNames, owner);
        } else if (value.isObject() && !value.propertyStream().allMatch(e -> FIELD_NAME.matcher(e.getKey()).matches())) {
            String entryName = uniqueTypeName(camel(name) + "Entry", typeNames);
            DescriptorProto.Builder entry = DescriptorProto.newBuilder().setName(entryName)
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true));
            entry.addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1)
                    .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setType(FieldDescriptorProto.Type.TYPE_STRING));
            FieldDescriptorProto.Builder valueField = FieldDescriptorProto.newBuilder().setName("value").setNumber(2)
                    .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
            JsonNode element = element(value);
            if (element.isArray() || (element.isObject() && !element.propertyStream().allMatch(e -> FIELD_NAME.matcher(e.getKey()).matches()))) {
                throw new IllegalArgumentException("The result field '" + name + "' is a map of arrays or maps, which"
                        + " Protobuf has no type for: put the result into one field (--output-field) read as JSON.");
            }
            type(entry, valueField, "value", element, new HashSet<>(), owner + "." + entryName);
            entry.addField(valueField);
            message.addNestedType(entry);
            field.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                    .setTypeName("." + owner + "." + entryName);
        } else {
            type(message, field, name, value, typeNames, owner);
        }
        message.addField(field);
    }

    /** Sets the scalar type of {@code field}, or adds the nested message its object {@code value} needs. */
    private static void type(DescriptorProto.Builder message, FieldDescriptorProto.Builder field, String name,
                             JsonNode value, Set<String> typeNames, String owner) {
        if (value.isTextual()) {
            field.setType(FieldDescriptorProto.Type.TYPE_STRING);
        } else if (value.isBoolean()) {
            field.setType(FieldDescriptorProto.Type.TYPE_BOOL);
        } else if (value.isNumber()) {
            field.setType(value.isIntegralNumber() && value.canConvertToLong()
                    ? FieldDescriptorProto.Type.TYPE_INT64 : FieldDescriptorProto.Type.TYPE_DOUBLE);
        } else if (value.isObject()) {
            String typeName = uniqueTypeName(camel(name), typeNames);
            DescriptorProto.Builder nested = DescriptorProto.newBuilder().setName(typeName);
            Set<Integer> taken = new HashSet<>();
            Set<String> nestedNames = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                if (!e.getValue().isNull()) {
                    addField(nested, e.getKey(), e.getValue(), taken, nestedNames, owner + "." + typeName);
                }
            }
            message.addNestedType(nested);
            field.setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName("." + owner + "." + typeName);
        } else {
            throw new IllegalArgumentException("The result field '" + name + "' is a " + value.getNodeType().name().toLowerCase()
                    + ", which has no Protobuf type.");
        }
    }

    /**
     * What an array's elements (or a map's values) are typed as: numbers are {@code double} unless all are whole;
     * objects have the fields of all of them; else the first element's type. An empty array is of strings.
     */
    private static JsonNode element(JsonNode container) {
        if (container.isEmpty()) {
            return JsonNodeFactory.instance.textNode("");
        }
        boolean allNumbers = true;
        boolean allWhole = true;
        boolean allObjects = true;
        for (JsonNode element : container) {
            allNumbers &= element.isNumber();
            allWhole &= element.isIntegralNumber() && element.canConvertToLong();
            allObjects &= element.isObject();
        }
        if (allNumbers) {
            return allWhole ? JsonNodeFactory.instance.numberNode(0L) : JsonNodeFactory.instance.numberNode(0.5);
        }
        if (allObjects) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (JsonNode element : container) {
                element.properties().forEach(e -> {
                    JsonNode seen = fields.get(e.getKey());
                    if (seen == null || seen.isNull()) fields.put(e.getKey(), e.getValue());
                });
            }
            ObjectNode merged = ((ObjectNode) container.iterator().next()).objectNode();
            fields.forEach(merged::set);
            return merged;
        }
        return container.iterator().next();
    }

    private static String uniqueTypeName(String name, Set<String> taken) {
        String unique = name;
        while (!taken.add(unique)) {
            unique += "_";
        }
        return unique;
    }

    /** {@code scores_by_label} as {@code ScoresByLabel}. */
    private static String camel(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.isEmpty() ? "Result" : out.toString();
    }
}
