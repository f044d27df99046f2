package dev.streamformer.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;

/**
 * A message as {@code .proto} text, for readers of the output: its fields with their types and numbers, its nested
 * messages and enums. Types outside the message are named in full ({@code .google.protobuf.Timestamp}, with the
 * imports of the input {@code .proto}); options are left out. Shape:
 * <pre>
 * syntax = "proto3";
 * package shop;
 *
 * message Review {
 *   string text = 1;
 *   repeated double embedding = 108467731;
 * }
 * </pre>
 */
final class ProtoText {

    private ProtoText() {}

    /** The file that declares {@code message} alone: syntax, package, the message. */
    static String file(Descriptor message) {
        StringBuilder out = new StringBuilder();
        String syntax = message.getFile().toProto().getSyntax();
        out.append("syntax = \"").append(syntax.isEmpty() ? "proto2" : syntax).append("\";\n");
        if (!message.getFile().getPackage().isEmpty()) {
            out.append("package ").append(message.getFile().getPackage()).append(";\n");
        }
        message.getFile().getDependencies().forEach(d -> out.append("import \"").append(d.getName()).append("\";\n"));
        out.append('\n');
        message(message, "", out);
        return out.toString();
    }

    private static void message(Descriptor message, String indent, StringBuilder out) {
        out.append(indent).append("message ").append(message.getName()).append(" {\n");
        String inner = indent + "  ";
        for (Descriptor nested : message.getNestedTypes()) {
            if (!nested.getOptions().getMapEntry()) {
                message(nested, inner, out);
            }
        }
        for (EnumDescriptor type : message.getEnumTypes()) {
            out.append(inner).append("enum ").append(type.getName()).append(" {\n");
            for (EnumValueDescriptor value : type.getValues()) {
                out.append(inner).append("  ").append(value.getName()).append(" = ").append(value.getNumber()).append(";\n");
            }
            out.append(inner).append("}\n");
        }
        for (FieldDescriptor field : message.getFields()) {
            if (field.getRealContainingOneof() == null) {
                field(field, label(field), inner, out);
            }
        }
        for (OneofDescriptor oneof : message.getRealOneofs()) {
            out.append(inner).append("oneof ").append(oneof.getName()).append(" {\n");
            oneof.getFields().forEach(field -> field(field, "", inner + "  ", out));
            out.append(inner).append("}\n");
        }
        out.append(indent).append("}\n");
    }

    private static void field(FieldDescriptor field, String label, String indent, StringBuilder out) {
        out.append(indent).append(label).append(type(field)).append(' ').append(field.getName())
                .append(" = ").append(field.getNumber()).append(";\n");
    }

    private static String label(FieldDescriptor field) {
        if (field.isMapField()) return "";
        if (field.isRepeated()) return "repeated ";
        if (field.isRequired()) return "required ";
        boolean proto3 = "proto3".equals(field.getFile().toProto().getSyntax());
        return !proto3 || field.hasPresence() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE ? "optional " : "";
    }

    private static String type(FieldDescriptor field) {
        if (field.isMapField()) {
            return "map<" + type(field.getMessageType().findFieldByNumber(1)) + ", "
                    + type(field.getMessageType().findFieldByNumber(2)) + ">";
        }
        return switch (field.getType()) {
            case MESSAGE, GROUP -> "." + field.getMessageType().getFullName();
            case ENUM -> "." + field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase();
        };
    }
}
