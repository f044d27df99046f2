package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.GatedFeedForward;
import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.RmsNorm;
import dev.streamformer.model.DecoderFamily;
import dev.streamformer.tensor.GgmlType;
import dev.streamformer.tensor.GgufFile;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads a llama.cpp GGUF file of the Llama lineage ({@code general.architecture} llama, qwen2 or qwen3) into the same
 * {@link DecoderOnlyTransformer} that Hugging Face folders load into. Metadata → {@link DecoderConfig}:
 * <pre>
 *   {arch}.embedding_length, .block_count, .feed_forward_length   hidden, layers, intermediate
 *   {arch}.attention.head_count, .head_count_kv, .key_length      heads, kv heads, head_dim (default hidden / heads)
 *   {arch}.attention.layer_norm_rms_epsilon                       RMSNorm eps
 *   {arch}.context_length                                         positions
 *   {arch}.rope.freq_base, .rope.scaling.type/.factor (linear)    RoPE θ and linear scaling
 *   rope_freqs.weight                                             llama3 scaling: one divisor per frequency, written
 *                                                                 by the converter instead of rope_scaling's keys
 *   tokenizer.ggml.eos_token_id, eot/eom ids, end-of-turn tokens  end-of-sequence ids
 * </pre>
 * Tensor names → our blocks ({@code ne} is [in, out], i.e. row-major [out, in] as in PyTorch):
 * <pre>
 *   token_embd.weight                    model.embed_tokens.weight
 *   blk.L.attn_norm.weight               model.layers.L.input_layernorm.weight
 *   blk.L.attn_{q,k,v}.{weight,bias}     model.layers.L.self_attn.{q,k,v}_proj
 *   blk.L.attn_output.weight             model.layers.L.self_attn.o_proj
 *   blk.L.attn_{q,k}_norm.weight         model.layers.L.self_attn.{q,k}_norm (Qwen3)
 *   blk.L.ffn_norm.weight                model.layers.L.post_attention_layernorm.weight
 *   blk.L.ffn_{gate,up,down}.weight      model.layers.L.mlp.{gate,up,down}_proj
 *   output_norm.weight, output.weight    model.norm.weight, lm_head.weight (absent when tied)
 * </pre>
 * F32, F16, BF16 and Q4_0 tensors are dequantized to fp32 (then stored as {@code --quantize} says; BF16 matrices may
 * stay bf16); Q8_0 matrices keep their blocks as stored, running on our Q8_0 kernel.
 *
 * <p><b>RoPE and the q/k permutation.</b> Meta's Llama rotates neighbouring features {@code (2i, 2i+1)} of a head;
 * Hugging Face's conversion permuted the rows of {@code q_proj} and {@code k_proj} so that its "rotate_half" pairs
 * {@code (i, i + d/2)} give the same model. llama.cpp's {@code convert_hf_to_gguf.py} undoes that for llama: per head,
 * {@code W.reshape(heads, 2, d/2, in).swapaxes(1, 2)}, so GGUF row {@code 2i + j} of a head is HF row
 * {@code j·d/2 + i}: HF's pair {@code (i, i + d/2)} becomes GGUF's neighbours {@code (2i, 2i+1)}. We keep the rows as
 * stored and rotate neighbours, as llama.cpp and llama3.java do: q and k are permuted alike, so their dot products —
 * and the model — are unchanged. Qwen2/Qwen3 are converted without the permutation and keep rotate-half
 * ({@link DecoderFamily}).
 */
public final class GgufDecoder {

    private GgufDecoder() {}

    /** Tokens whose text marks the end of a turn in llama.cpp's vocabularies (its end-of-generation list, in part). */
    private static final List<String> END_OF_TURN = List.of("<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|im_end|>",
            "<|endoftext|>", "<|end|>", "<end_of_turn>", "<EOT>");

    public static DecoderOnlyTransformer load(Path file, Quantization quantization) {
        try (GgufFile g = GgufFile.open(file)) {
            DecoderFamily family = DecoderFamily.ofGguf(g.string("general.architecture"), file);
            DecoderConfig c = config(g, family);
            int d = c.hidden();
            float[] embeddings = g.floats("token_embd.weight", c.vocabSize(), d);
            DecoderBlock[] blocks = new DecoderBlock[c.layers()];
            for (int l = 0; l < blocks.length; l++) blocks[l] = block(g, "blk." + l + ".", c, quantization);
            RmsNorm finalNorm = new RmsNorm(g.floats("output_norm.weight", d), c.normEps());
            Linear lmHead = linear(g, c.tiedEmbeddings() ? "token_embd" : "output", d, c.vocabSize(), false, quantization);
            // llama's q/k rows are permuted in GGUF: neighbouring features form RoPE's pairs (see the class comment)
            RotaryEmbedding.Pairing pairing = family.gguf == DecoderFamily.Gguf.PERMUTED_QK
                    ? RotaryEmbedding.Pairing.NEIGHBOURS : RotaryEmbedding.Pairing.ROTATE_HALF;
            return new DecoderOnlyTransformer(c, family.modelType + " (gguf)", embeddings, null, blocks, finalNorm, lmHead, pairing);
        }
    }

    /** The model's shape from the metadata; what the engine cannot run is refused in one sentence. */
    static DecoderConfig config(GgufFile g, DecoderFamily family) {
        String a = family.modelType + ".";
        int hidden = g.integer(a + "embedding_length");
        Object kv = g.metadata().get(a + "attention.head_count_kv");
        if (kv instanceof List<?>) {
            throw new IllegalArgumentException(g.path() + " has a different number of key/value heads per layer, which the Java engine does not run.");
        }
        int heads = g.integer(a + "attention.head_count");
        int headDim = (int) g.integer(a + "attention.key_length", hidden / heads);
        int ropeDims = (int) g.integer(a + "rope.dimension_count", headDim);
        if (ropeDims != headDim) {
            throw new IllegalArgumentException(g.path() + " rotates " + ropeDims + " of " + headDim
                    + " features per head (partial RoPE), which the Java engine does not run.");
        }
        int vocab = g.info("token_embd.weight").rows();
        boolean bias = family.biases == DecoderFamily.Biases.ALWAYS || g.contains("blk.0.attn_q.bias");
        return new DecoderConfig(family.modelType, vocab, hidden, g.integer(a + "block_count"), heads,
                (int) g.integer(a + "attention.head_count_kv", heads), headDim, g.integer(a + "feed_forward_length"),
                (int) g.integer(a + "context_length", 2048), (float) g.number(a + "attention.layer_norm_rms_epsilon", 1e-5),
                frequencies(g, a, headDim), bias, family.qkNorm, 0, !g.contains("output.weight"), eosIds(g));
    }

    /**
     * {@code θ_i = freq_base^(-2i/d)}, divided by {@code rope.scaling.factor} for linear scaling and by
     * {@code rope_freqs.weight[i]} where the file has it (Llama 3.1's scaling, precomputed by the converter).
     */
    private static RotaryEmbedding.Frequencies frequencies(GgufFile g, String a, int headDim) {
        float[] inv = RotaryEmbedding.Frequencies.base(g.number(a + "rope.freq_base", 10000.0), headDim);
        Object type = g.metadata().getOrDefault(a + "rope.scaling.type", "none");
        switch (String.valueOf(type)) {
            case "none" -> { }
            case "linear" -> {
                float factor = (float) g.number(a + "rope.scaling.factor", 1.0);
                for (int i = 0; i < inv.length; i++) inv[i] /= factor;
            }
            default -> throw new IllegalArgumentException(g.path() + " asks for rope.scaling.type '" + type
                    + "', which the Java engine does not run (none, linear and llama3's rope_freqs are supported).");
        }
        if (g.contains("rope_freqs.weight")) {
            float[] divisors = g.floats("rope_freqs.weight", inv.length);
            for (int i = 0; i < inv.length; i++) inv[i] /= divisors[i];
        }
        return new RotaryEmbedding.Frequencies(inv);
    }

    /**
     * {@code tokenizer.ggml.eos_token_id}, then the end-of-turn ids: GGUF keeps one eos id where Hugging Face's
     * generation_config.json lists several (Llama 3: 128001, 128008, 128009), so, like llama.cpp, we also stop at
     * {@code eot}/{@code eom} ids and at the tokens that end a turn by their text.
     */
    private static int[] eosIds(GgufFile g) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id")) {
            long id = g.integer(key, -1);
            if (id >= 0) ids.add((int) id);
        }
        if (g.metadata().get("tokenizer.ggml.tokens") instanceof List<?> tokens) {
            for (int i = 0; i < tokens.size(); i++) if (END_OF_TURN.contains(tokens.get(i))) ids.add(i);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static DecoderBlock block(GgufFile g, String p, DecoderConfig c, Quantization q) {
        int d = c.hidden();
        RmsNorm qNorm = c.qkNorm() ? new RmsNorm(g.floats(p + "attn_q_norm.weight", c.headDim()), c.normEps()) : null;
        RmsNorm kNorm = c.qkNorm() ? new RmsNorm(g.floats(p + "attn_k_norm.weight", c.headDim()), c.normEps()) : null;
        CausalSelfAttention attention = new CausalSelfAttention(
                linear(g, p + "attn_q", d, c.queryWidth(), c.attentionBias(), q),
                linear(g, p + "attn_k", d, c.kvWidth(), c.attentionBias(), q),
                linear(g, p + "attn_v", d, c.kvWidth(), c.attentionBias(), q),
                linear(g, p + "attn_output", c.queryWidth(), d, g.contains(p + "attn_output.bias"), q),
                qNorm, kNorm, c.heads(), c.kvHeads(), c.headDim());
        GatedFeedForward mlp = new GatedFeedForward(
                linear(g, p + "ffn_gate", d, c.intermediate(), false, q),
                linear(g, p + "ffn_up", d, c.intermediate(), false, q),
                linear(g, p + "ffn_down", c.intermediate(), d, false, q));
        return new DecoderBlock(new RmsNorm(g.floats(p + "attn_norm.weight", d), c.normEps()), attention,
                new RmsNorm(g.floats(p + "ffn_norm.weight", d), c.normEps()), mlp);
    }

    /**
     * A layer {@code [out, in]}: Q8_0 blocks kept as stored; BF16 read as its bits when it stays bf16 or gets quantized
     * (as from a bf16 safetensors file); every other type dequantized; then stored as {@code q} says.
     */
    private static Linear linear(GgufFile g, String name, int in, int out, boolean bias, Quantization q) {
        String weight = name + ".weight";
        float[] b = bias ? g.floats(name + ".bias", out) : null;
        g.checkShape(weight, out, in);
        GgmlType type = g.info(weight).type();
        if (type == GgmlType.Q8_0) return new Linear(g.q8(weight), b);
        if (type == GgmlType.BF16 && q != Quantization.NONE) return q.apply(new Linear(g.bf16(weight), b));
        return q.apply(new Linear(g.floats(weight), b, in, out));
    }
}
