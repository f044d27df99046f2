package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Hugging Face {@code config.json}, read with clear errors for missing keys. */
record ModelConfig(Path file, JsonNode json) {

    static ModelConfig read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(modelDir + " has no config.json; point --model at a Hugging Face model directory.");
        }
        try {
            return new ModelConfig(file, new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Any JSON file of the model folder (e.g. {@code generation_config.json}). */
    static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    String modelType() {
        return json.path("model_type").asText("");
    }

    int integer(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + " lacks the integer '" + key + "' this model needs.");
        }
        return v.asInt();
    }

    int integer(String key, int fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asInt();
    }

    double number(String key, double fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asDouble();
    }

    String text(String key, String fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    boolean flag(String key, boolean fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    /** Fails with one sentence when the config asks for something this implementation does not do. */
    void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException(file + ": " + what + " is not supported by the Java decoder.");
        }
    }
}
