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
 * A Hugging Face {@code config.json}: the one place Streamformer reads it, for every family. It knows which
 * {@code model_type}s are encoders, generators or encoder–decoders ({@link #family()}), answers what a model outputs
 * (labels, classifier kind), and hands the architecture's fields to the engines' configs ({@code EncoderConfig},
 * {@code DecoderConfig}, {@code T5Model}) through checked getters: a missing required key or an unsupported value is
 * refused in one sentence that names the file, the key and the value.
 *
 * @param file where it was read from (for messages); null for the empty config of a folder without one
 */
public record HfConfig(Path file, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The families of {@code model_type} and what each runs as; the Java engine runs exactly these. */
    public enum Family {
        ENCODER("bert", "roberta", "xlm-roberta"),
        DECODER(decoderTypes()),
        ENCODER_DECODER("t5");

        private final List<String> modelTypes;

        Family(String... modelTypes) {
            this.modelTypes = List.of(modelTypes);
        }

        public List<String> modelTypes() { return modelTypes; }

        /** GPT-2 and the Llama lineage: every {@link DecoderFamily}. */
        private static String[] decoderTypes() {
            List<String> types = new ArrayList<>();
            for (DecoderFamily f : DecoderFamily.values()) types.add(f.modelType);
            return types.toArray(String[]::new);
        }

        /** The family of a {@code model_type}, or null when the Java engine runs no such model. */
        public static Family of(String modelType) {
            for (Family f : values()) if (f.modelTypes.contains(modelType)) return f;
            return null;
        }
    }

    /** Reads {@code config.json}; returns an empty config when the file does not exist. */
    public static HfConfig read(Path file) {
        if (!Files.exists(file)) return new HfConfig(null, JSON.createObjectNode());
        try {
            return new HfConfig(file, JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not valid JSON (" + e.getMessage()
                    + "): restore the config.json that came with the model.", e);
        }
    }

    /** The {@code config.json} of a model folder, which must have one. */
    public static HfConfig ofModel(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(modelDir + " has no config.json; point --model at a Hugging Face model directory.");
        }
        return read(file);
    }

    /**
     * The family of this model, which must be one of {@code expected}; otherwise one sentence naming the
     * {@code model_type} and what the Java engine runs instead, ending with {@code runsAlso} (e.g. "as encoders").
     */
    public Family family(String runsAlso, Family... expected) {
        Family family = Family.of(modelType());
        if (family != null && List.of(expected).contains(family)) return family;
        List<String> runs = new ArrayList<>();
        for (Family f : expected) runs.addAll(f.modelTypes());
        throw new IllegalArgumentException(file + " has model_type '" + modelType() + "', which the Java engine cannot run;"
                + " it runs " + String.join(", ", runs) + " " + runsAlso + ".");
    }

    /** A required integer. */
    public int integer(String key) {
        JsonNode v = json.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + " lacks the integer '" + key + "' this model needs.");
        }
        return v.asInt();
    }

    public int integer(String key, int fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asInt();
    }

    public double number(String key, double fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asDouble();
    }

    public String text(String key, String fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    public boolean flag(String key, boolean fallback) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    /** A nested object ({@code rope_scaling}), or null. */
    public JsonNode object(String key) {
        JsonNode v = json.get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** {@code eos_token_id}: none, one id or a list. */
    public List<Integer> eosTokenIds() {
        List<Integer> ids = new ArrayList<>();
        JsonNode node = json.get("eos_token_id");
        if (node == null || node.isNull()) return ids;
        if (node.isArray()) node.forEach(n -> ids.add(n.asInt()));
        else ids.add(node.asInt());
        return ids;
    }

    /** Refuses, in one sentence, what the config asks for and the Java engine does not do. */
    public void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException(file + ": " + what + " is not supported by the Java engine; use --engine onnx.");
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
