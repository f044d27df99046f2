package dev.streamformer.fuzz;

import dev.streamformer.model.ModelRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tokenizer files the fuzz tests run on, one per model type, and their vocabularies read straight from the JSON
 * (not through the tokenizer under test), to check ids and token strings against.
 */
final class TokenizerFiles {

    private TokenizerFiles() {}

    /** WordPiece: all-minilm-l6-v2's tokenizer.json, unzipped from its LangChain4j model jar in ~/.m2. */
    static Path wordPiece() {
        return ModelRegistry.standard().resolve("all-minilm-l6-v2").tokenizer();
    }

    /** Byte-level BPE (GPT-2 style): ../shared/models/newsgpt-mini. */
    static Path byteLevelBpe() {
        return shared("newsgpt-mini");
    }

    /** Unigram (T5 style, Metaspace): ../shared/models/t5-mini. */
    static Path unigram() {
        return shared("t5-mini");
    }

    private static Path shared(String model) {
        Path p = Path.of("..", "shared", "models", model, "tokenizer.json");
        if (!Files.exists(p)) {
            throw new IllegalStateException("Missing " + p.toAbsolutePath() + ": the fuzz tests need ../shared next to the checkout.");
        }
        return p;
    }

    /**
     * Id → token string, from the model's vocab and the added tokens of a tokenizer.json; and the id whose token may be
     * any piece of the text: Unigram, like Hugging Face's, keeps the unknown piece itself as the token of its unk id
     * (-1 for the other models, whose unknown token is the vocabulary's string).
     */
    record Vocabulary(Map<Integer, String> byId, int freeTextId) {}

    static Vocabulary vocabulary(Path tokenizerJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(tokenizerJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> byId = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isArray()) {
            // Unigram: [[piece, score], ...], the id is the position
            for (int i = 0; i < vocab.size(); i++) byId.put(i, vocab.get(i).get(0).asText());
        } else {
            // WordPiece and BPE: {token: id}
            vocab.properties().forEach(e -> byId.put(e.getValue().asInt(), e.getKey()));
        }
        root.path("added_tokens").forEach(t -> byId.put(t.get("id").asInt(), t.get("content").asText()));
        JsonNode model = root.path("model");
        return new Vocabulary(byId, model.path("type").asText().equals("Unigram") ? model.path("unk_id").asInt(-1) : -1);
    }
}
