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
 * @param positionIds   how a token's row of the position table is chosen: its index (BERT) or RoBERTa's count
 * @param padTokenId    RoBERTa's {@code padding_idx}: the pad id, and the position row every pad token gets
 * @param perToken      the labels are per token ({@code …ForTokenClassification}), not per sequence
 */
public record EncoderConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                            int typeVocabSize, float layerNormEps, Activation activation, Positions positions,
                            NormPlacement norm, int numLabels, PositionIds positionIds, int padTokenId, boolean perToken) {

    public enum Activation { GELU_ERF, GELU_TANH }

    public enum Positions { LEARNED, SINUSOIDAL }

    public enum NormPlacement { POST_LN, PRE_LN }

    /**
     * Which position each token takes.
     * <ul>
     *   <li>{@code INDEX} (BERT): token {@code j} of a sequence is at position {@code j}.</li>
     *   <li>{@code AFTER_PADDING_IDX} (RoBERTa, XLM-R): {@code padding_idx + 1 + (non-pad tokens before it)}; a pad token
     *       itself is at {@code padding_idx}. The first {@code padding_idx + 1} rows of the table are never used by real
     *       tokens, which is why XLM-R has 514 positions for 512 tokens.</li>
     * </ul>
     */
    public enum PositionIds { INDEX, AFTER_PADDING_IDX }

    /** A BERT-style config: positions 0, 1, 2, ... */
    public EncoderConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
                         int typeVocabSize, float layerNormEps, Activation activation, Positions positions,
                         NormPlacement norm, int numLabels) {
        this(vocabSize, hidden, layers, heads, intermediate, maxPositions, typeVocabSize, layerNormEps, activation, positions,
                norm, numLabels, PositionIds.INDEX, 0, false);
    }

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

    /** The longest sequence the position table covers: all of it, or (RoBERTa) what is left after {@code padding_idx + 1}. */
    public int maxSequenceLength() {
        return positionIds == PositionIds.INDEX ? maxPositions : maxPositions - padTokenId - 1;
    }

    public EncoderConfig withNumLabels(int labels) {
        return new EncoderConfig(vocabSize, hidden, layers, heads, intermediate, maxPositions, typeVocabSize, layerNormEps,
                activation, positions, norm, labels, positionIds, padTokenId, perToken);
    }

    /**
     * Reads a Hugging Face BERT, RoBERTa or XLM-RoBERTa {@code config.json}. {@code hidden_act} "gelu" is the erf form;
     * "gelu_new"/"gelu_pytorch_tanh" the tanh approximation. Labels come from {@code id2label}. RoBERTa and XLM-R are
     * BERT with other position ids (see {@link PositionIds}) and, usually, one token type; the blocks are the same.
     * A {@code …ForTokenClassification} architecture puts the labels on every token.
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
        boolean roberta = switch (modelType) {
            case "bert" -> false;
            case "roberta", "xlm-roberta" -> true;
            default -> throw new IllegalArgumentException(configJson + ": model_type '" + modelType
                    + "' is not supported by the java engine (bert, roberta, xlm-roberta); use --engine onnx");
        };
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
                c.path("max_position_embeddings").asInt(512),  // transformers' defaults, for BERT and RoBERTa alike
                c.path("type_vocab_size").asInt(2),
                (float) c.path("layer_norm_eps").asDouble(1e-12),
                activation,
                Positions.LEARNED,
                NormPlacement.POST_LN,
                c.has("id2label") ? c.get("id2label").size() : 0,
                roberta ? PositionIds.AFTER_PADDING_IDX : PositionIds.INDEX,
                c.path("pad_token_id").asInt(roberta ? 1 : 0),   // RobertaConfig's default pad_token_id is 1
                c.path("architectures").toString().contains("ForTokenClassification"));
    }

    private static int required(JsonNode c, String key, Path file) {
        if (!c.has(key)) throw new IllegalArgumentException(file + " lacks '" + key + "', which the java engine needs");
        return c.get(key).asInt();
    }
}
