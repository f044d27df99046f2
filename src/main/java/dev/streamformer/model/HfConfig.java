package dev.streamformer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a Hugging Face {@code config.json} that decide what a model outputs. The full JSON stays
 * available for engines that need architecture details.
 */
public record HfConfig(JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code config.json}; returns an empty config when the file does not exist. */
    public static HfConfig read(Path file) {
        if (!Files.exists(file)) return new HfConfig(JSON.createObjectNode());
        try {
            return new HfConfig(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not valid JSON (" + e.getMessage()
                    + "): restore the config.json that came with the model.", e);
        }
    }

    public boolean isEmpty() { return json.isEmpty(); }

    public String modelType() { return json.path("model_type").asText(""); }

    public List<String> architectures() {
        List<String> out = new ArrayList<>();
        json.path("architectures").forEach(a -> out.add(a.asText()));
        return out;
    }

    /** True for {@code *ForSequenceClassification} models. */
    public boolean isSequenceClassifier() {
        return architectures().stream().anyMatch(a -> a.endsWith("ForSequenceClassification"));
    }

    /** True for {@code *ForTokenClassification} models (NER and other per-token labels). */
    public boolean isTokenClassifier() {
        return architectures().stream().anyMatch(a -> a.endsWith("ForTokenClassification"));
    }

    /** {@code multi_label_classification} means sigmoid per label; anything else softmax over labels. */
    public boolean isMultiLabel() {
        return "multi_label_classification".equals(json.path("problem_type").asText());
    }

    /** Labels by index, from {@code id2label}; {@code LABEL_i} when absent. */
    public List<String> labels(int count) {
        Map<Integer, String> byId = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.path("id2label").fields(); it.hasNext(); ) {
            var e = it.next();
            byId.put(Integer.parseInt(e.getKey()), e.getValue().asText());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add(byId.getOrDefault(i, "LABEL_" + i));
        return out;
    }

    public int maxPositionEmbeddings() { return json.path("max_position_embeddings").asInt(0); }

    /** True for RoBERTa-family encoders, whose position ids start after {@code padding_idx} (XLM-R: 514 positions, 512 tokens). */
    public boolean isRobertaFamily() {
        return modelType().equals("roberta") || modelType().equals("xlm-roberta");
    }

    /** The longest sequence the position table covers, or 0 when the config does not say. */
    public int maxSequenceLength() {
        int positions = maxPositionEmbeddings();
        if (positions <= 0 || !isRobertaFamily()) return positions;
        return positions - json.path("pad_token_id").asInt(1) - 1;
    }
}
