package dev.streamformer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Opens the image tarball that {@code ./mvnw -Pimage verify -DskipTests} writes (target/jib-image.tar, given as
 * {@code -Dimage.tar}) and checks what a container would run: entrypoint, user, volume, port, and that the
 * layers hold the classpath the entrypoint names. Not part of the normal test run (it needs the tarball).
 */
class JibImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imageTarballHasTheEntrypointUserAndLayers() throws IOException {
        String tarProperty = System.getProperty("image.tar");
        assertTrue(tarProperty != null, "Pass -Dimage.tar=target/jib-image.tar (./mvnw -Pimage verify -DskipTests does).");
        Path tar = Path.of(tarProperty);
        assertTrue(Files.isRegularFile(tar), tar + " does not exist: build it with ./mvnw -B -Pimage package -DskipTests.");

        Map<String, byte[]> entries = readTar(Files.newInputStream(tar), name -> true);
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(entries.get(manifest.path("Config").asText())).path("config");

        List<String> entrypoint = JSON.convertValue(config.path("Entrypoint"), List.class);
        assertEquals(List.of("java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file", "dev.streamformer.app.Main"),
                entrypoint, "the Dockerfile's JVM flags, on Jib's layered classpath");
        assertEquals("10001:10001", config.path("User").asText(), "the Dockerfile's non-root user");
        assertTrue(config.path("ExposedPorts").has("8080/tcp"));
        assertTrue(config.path("Volumes").has("/models"));
        assertTrue(JSON.convertValue(config.path("Env"), List.class).contains("STREAMFORMER_HOME=/models"));
        assertEquals("/app", config.path("WorkingDir").asText());

        // every file of every layer; Jib puts dependencies, resources and classes in separate layers
        List<String> layers = JSON.convertValue(manifest.path("Layers"), List.class);
        Set<String> files = new LinkedHashSet<>();
        byte[] classpathFile = null;
        int layersWithApp = 0;
        for (String layer : layers) {
            Map<String, byte[]> layerFiles = readTar(new GZIPInputStream(new ByteArrayInputStream(entries.get(layer))),
                    name -> name.equals("app/jib-classpath-file"));
            files.addAll(layerFiles.keySet());
            if (layerFiles.keySet().stream().anyMatch(f -> f.startsWith("app/"))) layersWithApp++;
            if (layerFiles.get("app/jib-classpath-file") != null) classpathFile = layerFiles.get("app/jib-classpath-file");
        }
        assertTrue(layersWithApp >= 3, "dependencies, resources and classes in their own layers; got " + layersWithApp);
        assertTrue(files.contains("app/classes/dev/streamformer/app/Main.class"));
        assertTrue(classpathFile != null, "app/jib-classpath-file in a layer");
        for (String entry : new String(classpathFile, StandardCharsets.UTF_8).strip().split(":")) {
            if (entry.endsWith("/*")) continue;
            String path = entry.substring(1);
            assertTrue(files.contains(path) || files.stream().anyMatch(f -> f.startsWith(path + "/")), "classpath entry " + entry + " is in a layer");
        }
        assertTrue(files.stream().anyMatch(f -> f.matches("app/libs/kafka-streams-.*\\.jar")), "Kafka Streams is a dependency layer");
    }

    /** A minimal ustar reader: 512-byte headers, sizes in octal; keeps the contents of entries {@code keep} accepts. */
    static Map<String, byte[]> readTar(InputStream raw, java.util.function.Predicate<String> keep) throws IOException {
        var out = new LinkedHashMap<String, byte[]>();
        try (InputStream in = raw) {
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) break; // end of archive
                String name = longName != null ? longName : field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (longName == null && !prefix.isEmpty()) name = prefix + "/" + name;
                longName = null;
                long size = Long.parseLong(field(header, 124, 12).strip().isEmpty() ? "0" : field(header, 124, 12).strip(), 8);
                char type = (char) header[156];
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                if (name.startsWith("./")) name = name.substring(2);
                if (name.startsWith("/")) name = name.substring(1);
                if (type == '5' || name.endsWith("/")) continue; // directories
                out.put(name, keep.test(name) ? content : new byte[0]);
            }
        }
        return out;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
