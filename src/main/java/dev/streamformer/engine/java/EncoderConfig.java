package dev.streamformer.engine.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The hyper-parameters of a BERT-style Transformer encoder.
 *
 * @param vocabSize     rows of the word-embedding table
 * @param hidden        width of the residual stream, d_model
 * @param layers        number of encoder blocks
 * @param heads         attention heads per block; each head sees {@code hidden / heads} = d_k features
 * @param intermediate  width of the feed-forward layer (usually 4 × hidden)
 * @param maxPositions  longest sequence the position embeddings cover
 * @param typeVocabSize rows of the token-type (segment) table; 0 when the model has none
 * @param layerNormEps  epsilon inside every LayerNorm
 * @param activation    the feed-forward non-linearity
 * @param positions     learned position embeddings (BERT) or the fixed sinusoids of "Attention Is All You Need"
 * @param norm          where LayerNorm sits: after each residual add (BERT, post-LN) or before each sub-layer (pre-LN)
 * @param numLabels     size of the classifier's output, 0 for a bare encoder
 */
public record EncoderConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                            int typeVocabSize, float layerNormEps, Activation activation, Positions positions,
                            NormPlacement norm, int numLabels) {

    public enum Activation { GELU_ERF, GELU_TANH }

    public enum Positions { LEARNED, SINUSOIDAL }

    public enum NormPlacement { POST_LN, PRE_LN }

    public EncoderConfig {
        if (hidden <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " must split evenly over " + heads + " attention heads");
        }
        if (layers <= 0 || intermediate <= 0 || vocabSize <= 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("encoder dimensions must be positive: " + this);
        }
    }

    /** Features per attention head, d_k. */
    public int headDim() { return hidden / heads; }

    public EncoderConfig withNumLabels(int labels) {
        return new EncoderConfig(vocabSize, hidden, layers, heads, intermediate, maxPositions, typeVocabSize, layerNormEps,
                activation, positions, norm, labels);
    }

    /**
     * Reads a Hugging Face BERT {@code config.json}. {@code hidden_act} "gelu" is the erf form;
     * "gelu_new"/"gelu_pytorch_tanh" the tanh approximation. Labels come from {@code id2label}.
     */
    public static EncoderConfig fromJson(Path configJson) throws IOException {
        JsonNode c = new ObjectMapper().readTree(configJson.toFile());
        String act = c.path("hidden_act").asText("gelu");
        Activation activation = switch (act) {
            case "gelu" -> Activation.GELU_ERF;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> Activation.GELU_TANH;
            default -> throw new IllegalArgumentException(configJson + ": hidden_act '" + act
                    + "' is not supported by the java engine (gelu, gelu_new); use --engine onnx");
        };
        String modelType = c.path("model_type").asText("bert");
        if (!modelType.equals("bert")) {
            throw new IllegalArgumentException(configJson + ": model_type '" + modelType
                    + "' is not supported by the java engine (BERT encoders only); use --engine onnx");
        }
        String posType = c.path("position_embedding_type").asText("absolute");
        if (!posType.equals("absolute")) {
            throw new IllegalArgumentException(configJson + ": position_embedding_type '" + posType
                    + "' is not supported by the java engine (absolute only); use --engine onnx");
        }
        return new EncoderConfig(
                required(c, "vocab_size", configJson),
                required(c, "hidden_size", configJson),
                required(c, "num_hidden_layers", configJson),
                required(c, "num_attention_heads", configJson),
                required(c, "intermediate_size", configJson),
                c.path("max_position_embeddings").asInt(512),
                c.path("type_vocab_size").asInt(2),
                (float) c.path("layer_norm_eps").asDouble(1e-12),
                activation,
                Positions.LEARNED,
                NormPlacement.POST_LN,
                c.has("id2label") ? c.get("id2label").size() : 0);
    }

    private static int required(JsonNode c, String key, Path file) {
        if (!c.has(key)) throw new IllegalArgumentException(file + " lacks '" + key + "', which the java engine needs");
        return c.get(key).asInt();
    }
}
