package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads ../shared: the models and the Hugging Face reference outputs (see ../shared/reference/README.md). */
public final class Reference {

    public static final Path SHARED = Path.of("..", "shared");

    private Reference() {}

    public static Path model(String name) {
        Path dir = SHARED.resolve("models").resolve(name);
        assertTrue(Files.isDirectory(dir), "missing " + dir.toAbsolutePath() + ": the tests need ../shared/models next to the project root");
        return dir;
    }

    /** Every row of a reference JSON Lines file. */
    public static List<JsonNode> rows(String file) {
        Path p = SHARED.resolve("reference").resolve(file);
        assertTrue(Files.isRegularFile(p), "missing " + p.toAbsolutePath() + ": the tests need ../shared/reference");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                if (!line.isBlank()) rows.add(json.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }
}
