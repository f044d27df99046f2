package dev.streamformer.engine.java;

import dev.streamformer.model.HfConfig;

import java.nio.file.Path;
import java.util.List;

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
    public static EncoderConfig fromJson(Path configJson) {
        HfConfig c = HfConfig.read(configJson);
        c.family("as encoders; use --engine onnx", HfConfig.Family.ENCODER);
        boolean roberta = c.isRobertaFamily();
        String act = c.text("hidden_act", "gelu");
        c.require(List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast").contains(act), "hidden_act '" + act + "' (gelu, gelu_new)");
        Activation activation = act.equals("gelu") ? Activation.GELU_ERF : Activation.GELU_TANH;
        String posType = c.text("position_embedding_type", "absolute");
        c.require(posType.equals("absolute"), "position_embedding_type '" + posType + "' (absolute only)");
        return new EncoderConfig(
                c.integer("vocab_size"),
                c.integer("hidden_size"),
                c.integer("num_hidden_layers"),
                c.integer("num_attention_heads"),
                c.integer("intermediate_size"),
                c.integer("max_position_embeddings", 512),  // transformers' defaults, for BERT and RoBERTa alike
                c.integer("type_vocab_size", 2),
                (float) c.number("layer_norm_eps", 1e-12),
                activation,
                Positions.LEARNED,
                NormPlacement.POST_LN,
                c.json().has("id2label") ? c.json().get("id2label").size() : 0,
                roberta ? PositionIds.AFTER_PADDING_IDX : PositionIds.INDEX,
                c.integer("pad_token_id", roberta ? 1 : 0),   // RobertaConfig's default pad_token_id is 1
                c.isTokenClassifier());
    }
}
