package dev.streamformer.engine.java.decoder;

import dev.streamformer.model.DecoderFamily;
import dev.streamformer.model.DecoderShape;
import dev.streamformer.model.HfConfig;

import java.nio.file.Path;

/**
 * The shape of a decoder-only Transformer, read from a Hugging Face {@code config.json} (or a GGUF file's metadata,
 * {@link GgufDecoder}). The families differ only in a few switches, which {@link DecoderFamily} sets for the Llama
 * lineage:
 * <pre>
 *   gpt2                                      LayerNorm, learned positions, multi-head attention with biases, GELU MLP
 *   llama   (Llama 2/3.x, SmolLM, TinyLlama)  RMSNorm, RoPE (+ rope_scaling), grouped-query attention, SwiGLU
 *   mistral                                   llama (+ a sliding window, see slidingWindow)
 *   qwen2   (Qwen2, Qwen2.5)                  llama + biases on q, k and v
 *   qwen3                                     llama + RMSNorm of every query and key head before RoPE
 * </pre>
 *
 * @param normEps        epsilon inside every norm (RMSNorm, or LayerNorm for GPT-2)
 * @param rope           RoPE frequencies; null when positions are learned embeddings added to the input (GPT-2)
 * @param heads          query heads per layer
 * @param kvHeads        key/value heads (fewer than {@code heads}: grouped-query attention; 1: multi-query)
 * @param headDim        features per head (Qwen3 sets it explicitly, it need not be hidden / heads)
 * @param attentionBias  q, k, v (and o, when the weights have one) carry biases
 * @param qkNorm         per-head RMSNorm of queries and keys (Qwen3)
 * @param slidingWindow  each position attends to at most this many positions ending at itself (0: no window). Not
 *                       implemented: no reference here checks it, so sequences stop at the window's length (up to it,
 *                       windowed attention equals full attention)
 * @param eosIds         every id that ends a sequence: config.json's and generation_config.json's, in that order
 */
public record DecoderConfig(String modelType, int vocabSize, int hidden, int layers, int heads, int kvHeads, int headDim,
                            int intermediate, int maxPositions, float normEps, RotaryEmbedding.Frequencies rope,
                            boolean attentionBias, boolean qkNorm, int slidingWindow, boolean tiedEmbeddings,
                            int[] eosIds) {

    public DecoderConfig {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || intermediate <= 0 || vocabSize <= 0) {
            throw new IllegalArgumentException("decoder dimensions must be positive (hidden " + hidden + ", layers " + layers
                    + ", heads " + heads + "/" + kvHeads + ", head_dim " + headDim + ", intermediate " + intermediate + ").");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads evenly.");
        }
        if (rope != null && headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head_dim, got " + headDim + ".");
    }

    /** Reads {@code config.json} (and {@code generation_config.json} for end-of-sequence ids) of a model folder. */
    public static DecoderConfig read(Path modelDir) {
        HfConfig c = HfConfig.ofModel(modelDir);
        c.family("as decoder-only generators", HfConfig.Family.DECODER);
        DecoderShape shape = DecoderShape.read(modelDir);
        DecoderFamily family = DecoderFamily.ofModelType(shape.modelType());
        if (family.wiring == DecoderFamily.Wiring.GPT2) return readGpt2(shape);
        String act = c.text("hidden_act", "silu");
        c.require(act.equals("silu"), "hidden_act '" + act + "' (silu only)");
        c.require(!c.flag("mlp_bias", false), "mlp_bias=true");
        c.require(c.integer("pretraining_tp", 1) == 1, "pretraining_tp other than 1");
        boolean bias = switch (family.biases) {
            case ALWAYS -> true;                                 // Qwen2: no config key
            case FROM_CONFIG -> c.flag("attention_bias", false);
        };
        int window = switch (family.window) {
            case NONE -> 0;
            case SLIDING_WINDOW -> c.integer("sliding_window", 0);
            case USE_SLIDING_WINDOW -> c.flag("use_sliding_window", false) ? -1 : 0;
        };
        c.require(window >= 0, "use_sliding_window=true");
        return new DecoderConfig(shape.modelType(), shape.vocabSize(), shape.hidden(), shape.layers(), shape.heads(),
                shape.kvHeads(), shape.headDim(), c.integer("intermediate_size"), shape.maxPositions(),
                (float) c.number("rms_norm_eps", 1e-6), RotaryEmbedding.Frequencies.fromConfig(c, shape.headDim()),
                bias, family.qkNorm, window, c.flag("tie_word_embeddings", true), shape.eosIds());
    }

    /** GPT-2 has one fixed wiring: LayerNorm, learned positions, biases everywhere, a gelu_new MLP. */
    private static DecoderConfig readGpt2(DecoderShape shape) {
        HfConfig c = shape.config();
        String act = c.text("activation_function", "gelu_new");
        c.require(act.equals("gelu_new"), "activation_function '" + act + "' (gelu_new only)");
        c.require(!c.flag("scale_attn_by_inverse_layer_idx", false), "scale_attn_by_inverse_layer_idx");
        c.require(c.flag("scale_attn_weights", true), "scale_attn_weights=false");
        c.require(shape.hidden() % shape.heads() == 0, "n_embd not divisible by n_head");
        return new DecoderConfig(shape.modelType(), shape.vocabSize(), shape.hidden(), shape.layers(), shape.heads(), shape.kvHeads(),
                shape.headDim(), c.integer("n_inner", 4 * shape.hidden()), shape.maxPositions(),
                (float) c.number("layer_norm_epsilon", 1e-5), null, true, false, 0,
                c.flag("tie_word_embeddings", true), shape.eosIds());
    }

    /** The family of {@link #modelType} (for a GGUF file, its {@code general.architecture}). */
    public DecoderFamily family() { return DecoderFamily.ofModelType(modelType); }

    /** Width of all query heads side by side. */
    public int queryWidth() { return heads * headDim; }

    /** Width of all key (or value) heads side by side. */
    public int kvWidth() { return kvHeads * headDim; }
}
