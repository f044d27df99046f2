package dev.streamformer.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaLoader;
import com.squareup.wire.schema.internal.SchemaEncoder;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The message type that a producer writes, from the file given as {@code --schema-file FILE[#full.MessageName]}:
 * <ul>
 *   <li>a {@code .proto} file, read by Square Wire's parser with its imports looked up beside it (and the well-known
 *       {@code google/protobuf/*.proto} that Wire carries), then turned into {@code FileDescriptorProto}s by Wire's
 *       {@code SchemaEncoder} (Wire's one encoder from its schema to {@code descriptor.proto}; it lives in an
 *       {@code internal} package, so a Wire upgrade is checked by {@code ProtobufFormatTest});</li>
 *   <li>or a descriptor set, as {@code protoc --include_imports --descriptor_set_out=FILE.desc} writes it (any file
 *       ending in {@code .desc}, {@code .pb} or {@code .binpb}).</li>
 * </ul>
 * The message is the one after {@code #}; without it, the file's only top-level message.
 */
final class ProtobufSchema {

    private ProtobufSchema() {}

    /** The message of {@code spec} ({@code FILE} or {@code FILE#full.Name}); one sentence with the fix when it cannot be had. */
    static Descriptor load(String spec) {
        int hash = spec.lastIndexOf('#');
        Path file = Path.of(hash < 0 ? spec : spec.substring(0, hash));
        String message = hash < 0 ? null : spec.substring(hash + 1);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The Protobuf schema file " + file + " does not exist: give the path of the .proto"
                    + " the producer writes with, or of a descriptor set (--schema-file FILE or FILE#package.Message).");
        }
        String name = file.getFileName().toString();
        List<FileDescriptor> files = isDescriptorSet(name) ? fromDescriptorSet(file) : fromProto(file);
        return select(files, message, file);
    }

    private static boolean isDescriptorSet(String name) {
        return name.endsWith(".desc") || name.endsWith(".pb") || name.endsWith(".binpb");
    }

    /** The files of a {@code .proto}: its own first, then those it imports. */
    private static List<FileDescriptor> fromProto(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        Schema schema;
        try {
            SchemaLoader loader = new SchemaLoader(FileSystems.getDefault());
            loader.setLoadExhaustively(true); // else imported files are loaded as stubs: google.protobuf.Timestamp without its fields
            loader.initRoots(List.of(Location.get(dir.toString(), name)), List.of(Location.get(dir.toString())));
            schema = loader.loadSchema();
        } catch (Exception e) { // Kotlin declares none; Wire throws SchemaException, IllegalStateException or an IOException
            if (e instanceof IOException) {
                throw new IllegalArgumentException("Cannot read the Protobuf schema file " + file + " (" + e.getMessage()
                        + "): give the path of a readable .proto file (--schema-file).", e);
            }
            throw new IllegalArgumentException("The Protobuf schema file " + file + " is not a valid .proto ("
                    + oneLine(e.getMessage()) + "): fix it, or give the .proto the producer writes with (--schema-file).", e);
        }
        SchemaEncoder encoder = new SchemaEncoder(schema);
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        for (ProtoFile protoFile : schema.getProtoFiles()) {
            try {
                FileDescriptorProto proto = FileDescriptorProto.parseFrom(encoder.encode(protoFile).toByteArray());
                protos.put(proto.getName(), proto);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("Wire encoded " + protoFile.getLocation() + " as a FileDescriptorProto that"
                        + " protobuf-java cannot read", e);
            }
        }
        return build(protos, name, file);
    }

    /** The files of a descriptor set, the last (the one protoc was asked for) first. */
    private static List<FileDescriptor> fromDescriptorSet(Path file) {
        FileDescriptorSet set;
        try {
            set = FileDescriptorSet.parseFrom(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The Protobuf descriptor set " + file + " does not exist (--schema-file).", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("The file " + file + " is not a Protobuf descriptor set (" + e.getMessage()
                    + "): write one with protoc --include_imports --descriptor_set_out=" + file.getFileName()
                    + ", or give the .proto (--schema-file).", e);
        }
        if (set.getFileCount() == 0) {
            throw new IllegalArgumentException("The Protobuf descriptor set " + file + " holds no file: write it with protoc"
                    + " --include_imports --descriptor_set_out=" + file.getFileName() + " (--schema-file).");
        }
        Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
        set.getFileList().forEach(p -> protos.put(p.getName(), p));
        return build(protos, set.getFile(set.getFileCount() - 1).getName(), file);
    }

    /** Every file, built with its dependencies; {@code root} first. */
    private static List<FileDescriptor> build(Map<String, FileDescriptorProto> protos, String root, Path file) {
        Map<String, FileDescriptor> built = new HashMap<>();
        for (String name : protos.keySet()) {
            build(name, protos, built, file);
        }
        List<FileDescriptor> files = new ArrayList<>();
        files.add(built.get(root));
        built.forEach((name, descriptor) -> {
            if (!name.equals(root)) files.add(descriptor);
        });
        return files;
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built, Path file) {
        FileDescriptor done = built.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = protos.get(name);
        if (proto == null) {
            throw new IllegalArgumentException("The Protobuf schema " + file + " imports " + name + ", which it does not hold:"
                    + " put that file beside it, or write the descriptor set with protoc --include_imports (--schema-file).");
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built, file));
        }
        try {
            FileDescriptor descriptor = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
            built.put(name, descriptor);
            return descriptor;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException("The Protobuf schema " + file + " is not valid (" + e.getMessage()
                    + "): fix it, or give the schema the producer writes with (--schema-file).", e);
        }
    }

    /** The message named after {@code #}, or the root file's only top-level message. */
    private static Descriptor select(List<FileDescriptor> files, String message, Path file) {
        FileDescriptor root = files.getFirst();
        if (message == null) {
            if (root.getMessageTypes().size() == 1) {
                return root.getMessageTypes().getFirst();
            }
            throw new IllegalArgumentException(root.getMessageTypes().isEmpty()
                    ? "The Protobuf schema " + file + " declares no message: give the file that declares the producer's message (--schema-file)."
                    : "The Protobuf schema " + file + " declares several messages (" + names(root) + "): name the producer's"
                            + " after a #, e.g. --schema-file " + file + "#" + root.getMessageTypes().getFirst().getFullName() + ".");
        }
        for (FileDescriptor candidate : files) {
            Descriptor found = find(candidate.getMessageTypes(), message);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalArgumentException("The Protobuf schema " + file + " has no message '" + message + "': name one of "
                + names(root) + " with its package (--schema-file FILE#package.Message).");
    }

    private static Descriptor find(List<Descriptor> messages, String fullName) {
        for (Descriptor message : messages) {
            if (message.getFullName().equals(fullName)) {
                return message;
            }
            Descriptor nested = find(message.getNestedTypes(), fullName);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    private static String names(FileDescriptor file) {
        return String.join(", ", file.getMessageTypes().stream().map(Descriptor::getFullName).toList());
    }

    private static String oneLine(String message) {
        return message == null ? "no detail" : message.strip().replaceAll("\\s*\\n\\s*", "; ");
    }
}
