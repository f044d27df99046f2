package dev.streamformer.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.StreamSupport;

/**
 * What a decoder LLM folder in the Optimum / onnx-community layout says about itself: where its graph is
 * ({@code model.onnx} or {@code onnx/model.onnx}) and, from {@code config.json} and {@code generation_config.json}, the
 * sizes of its KV cache, its vocabulary, its context length and its end-of-sequence ids.
 *
 * @param onnxFile     the graph to load
 * @param modelType    {@code model_type}, e.g. {@code llama}, {@code qwen2}, {@code qwen3}
 * @param layers       {@code num_hidden_layers}: one past/present key and value per layer
 * @param kvHeads      {@code num_key_value_heads} (defaults to {@code num_attention_heads})
 * @param headDim      {@code head_dim} (defaults to {@code hidden_size / num_attention_heads})
 * @param vocab        {@code vocab_size}: logits per position
 * @param maxPositions {@code max_position_embeddings}
 * @param eosIds       {@code eos_token_id} of generation_config.json (else config.json), one id or a list; may be empty
 */
record DecoderFolder(Path onnxFile, String modelType, int layers, int kvHeads, int headDim, int vocab, int maxPositions,
                     int[] eosIds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static DecoderFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelLoadException(folder + " is not a directory: point the model at a folder holding config.json and"
                    + " model.onnx (or onnx/model.onnx).");
        }
        Path onnx = Files.isRegularFile(folder.resolve("model.onnx")) ? folder.resolve("model.onnx")
                : folder.resolve("onnx").resolve("model.onnx");
        if (!Files.isRegularFile(onnx)) {
            throw new ModelLoadException(folder + " has neither model.onnx nor onnx/model.onnx: download the ONNX export of the"
                    + " model (Optimum / onnx-community layout) into it.");
        }
        Path configFile = folder.resolve("config.json");
        JsonNode config = json(configFile, true);
        JsonNode generation = json(folder.resolve("generation_config.json"), false);
        int heads = integer(config, configFile, "num_attention_heads", null);
        int hidden = integer(config, configFile, "hidden_size", null);
        JsonNode eos = generation.has("eos_token_id") ? generation.get("eos_token_id") : config.path("eos_token_id");
        int[] eosIds = eos.isArray() ? StreamSupport.stream(eos.spliterator(), false).mapToInt(JsonNode::asInt).toArray()
                : eos.canConvertToInt() ? new int[] {eos.asInt()} : new int[0];
        return new DecoderFolder(onnx, config.path("model_type").asText(""),
                integer(config, configFile, "num_hidden_layers", null),
                integer(config, configFile, "num_key_value_heads", heads),
                integer(config, configFile, "head_dim", hidden / heads),
                integer(config, configFile, "vocab_size", null),
                integer(config, configFile, "max_position_embeddings", null),
                eosIds);
    }

    private static JsonNode json(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (!required) return JSON.createObjectNode();
            throw new ModelLoadException(file.getParent() + " has no " + file.getFileName()
                    + ": copy the config.json that came with the model next to its ONNX file.");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not valid JSON (" + e.getMessage() + "): restore the file that came with"
                    + " the model.", e);
        }
    }

    /** {@code config[key]}, or {@code fallback} when absent or null; a missing key without fallback is refused. */
    private static int integer(JsonNode config, Path file, String key, Integer fallback) {
        JsonNode v = config.get(key);
        if (v != null && v.canConvertToInt()) return v.asInt();
        if (fallback != null && (v == null || v.isNull())) return fallback;
        throw new ModelLoadException(file + " lacks the integer '" + key + "' that sizes the decoder: restore the config.json"
                + " that came with the model.");
    }
}
