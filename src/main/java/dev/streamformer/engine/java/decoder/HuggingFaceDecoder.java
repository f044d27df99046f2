package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.tensor.Bf16Matrix;
import dev.streamformer.tensor.SafeTensorInfo;
import dev.streamformer.tensor.SafeTensorShards;

import java.nio.file.Path;

/**
 * Loads a Hugging Face {@code *ForCausalLM} folder of the Llama lineage ({@code config.json}, {@code model.safetensors}
 * or its shards, F32/F16/BF16) into a {@link DecoderOnlyTransformer}. Tensor names as transformers saves them:
 * <pre>
 *   model.embed_tokens.weight                       [vocab, hidden]
 *   model.layers.L.input_layernorm.weight           [hidden]
 *   model.layers.L.self_attn.{q,k,v,o}_proj.weight  [out, in]   (+ .bias where the family has them)
 *   model.layers.L.self_attn.{q,k}_norm.weight      [head_dim]  (Qwen3)
 *   model.layers.L.post_attention_layernorm.weight  [hidden]
 *   model.layers.L.mlp.{gate,up,down}_proj.weight   [out, in]
 *   model.norm.weight                               [hidden]
 *   lm_head.weight                                  [vocab, hidden]  (absent when tied to the embeddings)
 * </pre>
 * BF16 and F16 values are widened to fp32 exactly (BF16 matrices may stay bf16, {@link Quantization#BF16}); all
 * arithmetic is fp32.
 */
public final class HuggingFaceDecoder {

    private HuggingFaceDecoder() {}

    public static DecoderOnlyTransformer load(Path modelDir) {
        return load(modelDir, Quantization.NONE);
    }

    /** Loads the folder, storing every weight matrix (the LM head included) as {@code quantization} says. */
    public static DecoderOnlyTransformer load(Path modelDir, Quantization quantization) {
        DecoderConfig c = DecoderConfig.read(modelDir);
        try (SafeTensorShards w = SafeTensorShards.open(modelDir)) {
            int d = c.hidden();
            float[] embeddings = w.floats("model.embed_tokens.weight", c.vocabSize(), d);
            DecoderBlock[] blocks = new DecoderBlock[c.layers()];
            for (int l = 0; l < blocks.length; l++) blocks[l] = block(w, "model.layers." + l + ".", c, quantization);
            RmsNorm finalNorm = new RmsNorm(w.floats("model.norm.weight", d), c.rmsEps());
            boolean separateHead = w.contains("lm_head.weight") && !c.tiedEmbeddings();
            Linear lmHead = linear(w, separateHead ? "lm_head" : "model.embed_tokens", d, c.vocabSize(), false, quantization);
            return new DecoderOnlyTransformer(c, c.modelType(), embeddings, blocks, finalNorm, lmHead,
                    RotaryEmbedding.Pairing.ROTATE_HALF);
        }
    }

    private static DecoderBlock block(SafeTensorShards w, String p, DecoderConfig c, Quantization q) {
        int d = c.hidden();
        String a = p + "self_attn.";
        RmsNorm qNorm = c.qkNorm() ? new RmsNorm(w.floats(a + "q_norm.weight", c.headDim()), c.rmsEps()) : null;
        RmsNorm kNorm = c.qkNorm() ? new RmsNorm(w.floats(a + "k_norm.weight", c.headDim()), c.rmsEps()) : null;
        CausalSelfAttention attention = new CausalSelfAttention(
                linear(w, a + "q_proj", d, c.queryWidth(), c.attentionBias(), q),
                linear(w, a + "k_proj", d, c.kvWidth(), c.attentionBias(), q),
                linear(w, a + "v_proj", d, c.kvWidth(), c.attentionBias(), q),
                linear(w, a + "o_proj", c.queryWidth(), d, c.attentionBias() && w.contains(a + "o_proj.bias"), q),
                qNorm, kNorm, c.heads(), c.kvHeads(), c.headDim());
        GatedFeedForward mlp = new GatedFeedForward(
                linear(w, p + "mlp.gate_proj", d, c.intermediate(), false, q),
                linear(w, p + "mlp.up_proj", d, c.intermediate(), false, q),
                linear(w, p + "mlp.down_proj", c.intermediate(), d, false, q));
        return new DecoderBlock(new RmsNorm(w.floats(p + "input_layernorm.weight", d), c.rmsEps()), attention,
                new RmsNorm(w.floats(p + "post_attention_layernorm.weight", d), c.rmsEps()), mlp);
    }

    /** A layer in the asked format (bf16 weights are read as their raw bits when they stay bf16 or get quantized). */
    private static Linear linear(SafeTensorShards w, String name, int in, int out, boolean bias, Quantization q) {
        String weight = name + ".weight";
        float[] b = bias ? w.floats(name + ".bias", out) : null;
        Linear stored = w.info(weight).dtype() == SafeTensorInfo.DType.BF16 && q != Quantization.NONE
                ? new Linear(new Bf16Matrix(w.bf16Bits(weight, out, in), out, in), b)
                : new Linear(w.floats(weight, out, in), b, in, out);
        return q.apply(stored);
    }
}
