package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.GatedFeedForward;
import dev.streamformer.engine.java.layers.GeluFeedForward;
import dev.streamformer.engine.java.layers.LayerNorm;
import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.Mlp;
import dev.streamformer.engine.java.layers.RmsNorm;
import dev.streamformer.model.DecoderFamily;
import dev.streamformer.tensor.Bf16Matrix;
import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.SafeTensorInfo;
import dev.streamformer.tensor.SafeTensorShards;

import java.nio.file.Path;

/**
 * Loads a Hugging Face {@code *ForCausalLM} folder ({@code config.json}, {@code model.safetensors} or its shards,
 * F32/F16/BF16) into a {@link DecoderOnlyTransformer}: the Llama lineage with RMSNorm, RoPE and SwiGLU, GPT-2 with
 * LayerNorm, learned positions and a GELU MLP. Llama-lineage tensor names as transformers saves them:
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
        if (c.family().wiring == DecoderFamily.Wiring.GPT2) return loadGpt2(modelDir, c, quantization);
        try (SafeTensorShards w = SafeTensorShards.open(modelDir)) {
            int d = c.hidden();
            float[] embeddings = w.floats("model.embed_tokens.weight", c.vocabSize(), d);
            DecoderBlock[] blocks = new DecoderBlock[c.layers()];
            for (int l = 0; l < blocks.length; l++) blocks[l] = block(w, "model.layers." + l + ".", c, quantization);
            RmsNorm finalNorm = new RmsNorm(w.floats("model.norm.weight", d), c.normEps());
            boolean separateHead = w.contains("lm_head.weight") && !c.tiedEmbeddings();
            Linear lmHead = linear(w, separateHead ? "lm_head" : "model.embed_tokens", d, c.vocabSize(), false, quantization);
            return new DecoderOnlyTransformer(c, c.modelType(), embeddings, null, blocks, finalNorm, lmHead,
                    RotaryEmbedding.Pairing.ROTATE_HALF);
        }
    }

    private static DecoderBlock block(SafeTensorShards w, String p, DecoderConfig c, Quantization q) {
        int d = c.hidden();
        String a = p + "self_attn.";
        RmsNorm qNorm = c.qkNorm() ? new RmsNorm(w.floats(a + "q_norm.weight", c.headDim()), c.normEps()) : null;
        RmsNorm kNorm = c.qkNorm() ? new RmsNorm(w.floats(a + "k_norm.weight", c.headDim()), c.normEps()) : null;
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
        return new DecoderBlock(new RmsNorm(w.floats(p + "input_layernorm.weight", d), c.normEps()), attention,
                new RmsNorm(w.floats(p + "post_attention_layernorm.weight", d), c.normEps()), mlp);
    }

    /**
     * GPT-2 ({@code GPT2LMHeadModel}), whose names and layout differ:
     * <pre>
     *   [transformer.]wte.weight, wpe.weight            [vocab, hidden], [positions, hidden]
     *   [transformer.]h.L.ln_1, ln_2  .weight/.bias     [hidden]            LayerNorm before attention, before the MLP
     *   [transformer.]h.L.attn.c_attn.weight            [hidden, 3·hidden]  Conv1D: [in, out]; q, k, v side by side
     *   [transformer.]h.L.attn.c_proj, mlp.c_fc, mlp.c_proj  .weight [in, out], .bias [out]
     *   [transformer.]ln_f.weight/.bias                 [hidden]            the LM head is tied to wte
     * </pre>
     */
    private static DecoderOnlyTransformer loadGpt2(Path modelDir, DecoderConfig c, Quantization q) {
        int d = c.hidden();
        float eps = c.normEps();
        try (SafeTensorShards w = SafeTensorShards.open(modelDir)) {
            String p = w.contains("transformer.wte.weight") ? "transformer." : "";
            if (w.contains("lm_head.weight") && !c.tiedEmbeddings()) {
                throw new IllegalArgumentException(modelDir.resolve("config.json") + " asks for an untied lm_head, which GPT-2 here does not support.");
            }
            DecoderBlock[] blocks = new DecoderBlock[c.layers()];
            for (int l = 0; l < blocks.length; l++) {
                String b = p + "h." + l + ".";
                // c_attn holds q, k and v side by side: the one layer hidden → [q | k | v] that the attention runs
                CausalSelfAttention attention = new CausalSelfAttention(conv1D(w, b + "attn.c_attn", d, 3 * d, q),
                        conv1D(w, b + "attn.c_proj", d, d, q), null, null, c.heads(), c.kvHeads(), c.headDim(),
                        CausalSelfAttention.standardScale(c.headDim()));
                Mlp mlp = new GeluFeedForward(conv1D(w, b + "mlp.c_fc", d, c.intermediate(), q),
                        conv1D(w, b + "mlp.c_proj", c.intermediate(), d, q), Kernels.Activation.GELU_TANH);  // gelu_new
                blocks[l] = new DecoderBlock(layerNorm(w, b + "ln_1", d, eps), attention, layerNorm(w, b + "ln_2", d, eps), mlp);
            }
            float[] embeddings = w.floats(p + "wte.weight", c.vocabSize(), d);
            return new DecoderOnlyTransformer(c, c.modelType(), embeddings, w.floats(p + "wpe.weight", c.maxPositions(), d),
                    blocks, layerNorm(w, p + "ln_f", d, eps), q.apply(new Linear(embeddings, null, d, c.vocabSize())), null);
        }
    }

    private static LayerNorm layerNorm(SafeTensorShards w, String name, int d, float eps) {
        return new LayerNorm(w.floats(name + ".weight", d), w.floats(name + ".bias", d), eps);
    }

    /** A GPT-2 Conv1D (weight {@code [in, out]}) as a {@link Linear} (weight {@code [out, in]}). */
    private static Linear conv1D(SafeTensorShards w, String name, int in, int out, Quantization q) {
        return q.apply(new Linear(transpose(w.floats(name + ".weight", in, out), in, out), w.floats(name + ".bias", out), in, out));
    }

    /** {@code [rows, cols]} → {@code [cols, rows]}. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) t[col * rows + r] = m[r * cols + col];
        }
        return t;
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
