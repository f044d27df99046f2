package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.tensor.GgmlType;
import dev.streamformer.tensor.GgufWriter;
import dev.streamformer.tensor.SafeTensorShards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face Llama/Qwen2/Qwen3 folder as GGUF the way llama.cpp's {@code convert_hf_to_gguf.py} does,
 * for tests: the same metadata keys, tensor names, the q/k row permutation of llama ({@link #permute}), llama3 RoPE
 * scaling as a {@code rope_freqs.weight} tensor, 1-D tensors (norms, biases) in F32 and matrices in the asked type,
 * and the byte-level BPE vocabulary with token types. Written from the converter's documented behaviour, not from
 * {@link GgufDecoder}.
 */
public final class HfToGguf {

    private HfToGguf() {}

    /** What was written, for tests that compare values: the GGUF tensors as written, by GGUF name. */
    public record Converted(Path file, Map<String, GgufWriter.Written> tensors, Map<String, float[]> sourceValues) {}

    public static Converted convert(Path hfDir, Path out, GgmlType matrixType) throws IOException {
        JsonNode c = new ObjectMapper().readTree(hfDir.resolve("config.json").toFile());
        String arch = c.get("model_type").asText();
        int hidden = c.get("hidden_size").asInt(), heads = c.get("num_attention_heads").asInt();
        int kvHeads = c.path("num_key_value_heads").asInt(heads), layers = c.get("num_hidden_layers").asInt();
        int headDim = c.path("head_dim").asInt(hidden / heads), inter = c.get("intermediate_size").asInt();
        int vocab = c.get("vocab_size").asInt();
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", arch).put("general.name", hfDir.getFileName().toString());
        if (matrixType == GgmlType.Q8_0) w.put("general.alignment", 64);   // not the default: the reader must honour it
        String a = arch + ".";
        w.put(a + "context_length", c.get("max_position_embeddings").asInt()).put(a + "embedding_length", hidden)
                .put(a + "block_count", layers).put(a + "feed_forward_length", inter).put(a + "attention.head_count", heads)
                .put(a + "attention.head_count_kv", kvHeads).put(a + "rope.freq_base", (float) c.path("rope_theta").asDouble(10000))
                .put(a + "attention.layer_norm_rms_epsilon", (float) c.get("rms_norm_eps").asDouble())
                .put(a + "vocab_size", vocab).put(a + "rope.dimension_count", headDim);
        if (c.has("head_dim")) w.put(a + "attention.key_length", headDim).put(a + "attention.value_length", headDim);
        vocabulary(w, hfDir, vocab, arch);

        Map<String, GgufWriter.Written> written = new HashMap<>();
        Map<String, float[]> source = new HashMap<>();
        try (SafeTensorShards st = SafeTensorShards.open(hfDir)) {
            JsonNode scaling = c.path("rope_scaling");
            if (scaling.path("rope_type").asText("").equals("llama3")) {
                float[] factors = llama3RopeFactors(c, scaling, headDim);
                written.put("rope_freqs.weight", w.add("rope_freqs.weight", factors, 1, factors.length, GgmlType.F32));
            }
            matrix(w, st, "model.embed_tokens.weight", "token_embd.weight", vocab, hidden, matrixType, written, source, 0);
            for (int l = 0; l < layers; l++) {
                String h = "model.layers." + l + ".", g = "blk." + l + ".";
                vector(w, st, h + "input_layernorm.weight", g + "attn_norm.weight", written);
                boolean permute = arch.equals("llama");
                matrix(w, st, h + "self_attn.q_proj.weight", g + "attn_q.weight", heads * headDim, hidden, matrixType, written, source, permute ? heads : 0);
                matrix(w, st, h + "self_attn.k_proj.weight", g + "attn_k.weight", kvHeads * headDim, hidden, matrixType, written, source, permute ? kvHeads : 0);
                matrix(w, st, h + "self_attn.v_proj.weight", g + "attn_v.weight", kvHeads * headDim, hidden, matrixType, written, source, 0);
                matrix(w, st, h + "self_attn.o_proj.weight", g + "attn_output.weight", hidden, heads * headDim, matrixType, written, source, 0);
                for (String p : List.of("q", "k", "v")) {
                    String bias = h + "self_attn." + p + "_proj.bias";
                    if (st.contains(bias)) vector(w, st, bias, g + "attn_" + p + ".bias", written);
                }
                if (st.contains(h + "self_attn.q_norm.weight")) {
                    vector(w, st, h + "self_attn.q_norm.weight", g + "attn_q_norm.weight", written);
                    vector(w, st, h + "self_attn.k_norm.weight", g + "attn_k_norm.weight", written);
                }
                vector(w, st, h + "post_attention_layernorm.weight", g + "ffn_norm.weight", written);
                matrix(w, st, h + "mlp.gate_proj.weight", g + "ffn_gate.weight", inter, hidden, matrixType, written, source, 0);
                matrix(w, st, h + "mlp.up_proj.weight", g + "ffn_up.weight", inter, hidden, matrixType, written, source, 0);
                matrix(w, st, h + "mlp.down_proj.weight", g + "ffn_down.weight", hidden, inter, matrixType, written, source, 0);
            }
            vector(w, st, "model.norm.weight", "output_norm.weight", written);
            if (!c.path("tie_word_embeddings").asBoolean(true) && st.contains("lm_head.weight")) {
                matrix(w, st, "lm_head.weight", "output.weight", vocab, hidden, matrixType, written, source, 0);
            }
        }
        w.write(out);
        return new Converted(out, written, source);
    }

    /**
     * llama.cpp's {@code LlamaModel.permute}: {@code W.reshape(heads, 2, rows/heads/2, cols).swapaxes(1, 2)}; within each
     * head, row {@code i·half + j} moves to {@code 2j + i}.
     */
    static float[] permute(float[] w, int rows, int cols, int heads) {
        int perHead = rows / heads, half = perHead / 2;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < half; j++) {
                    int from = h * perHead + i * half + j, to = h * perHead + 2 * j + i;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }

    /**
     * {@code LlamaModel.generate_extra_tensors} for {@code rope_type llama3}: per frequency 1 (fast), {@code factor}
     * (slow) or {@code 1 / ((1 − smooth) / factor + smooth)} between; llama.cpp divides the frequency by it.
     */
    static float[] llama3RopeFactors(JsonNode c, JsonNode s, int dim) {
        double base = c.path("rope_theta").asDouble(10000);
        double factor = s.path("factor").asDouble(8), low = s.path("low_freq_factor").asDouble(1), high = s.path("high_freq_factor").asDouble(4);
        double old = s.path("original_max_position_embeddings").asDouble(8192);
        float[] factors = new float[dim / 2];
        for (int i = 0; i < factors.length; i++) {
            float freq = (float) (1.0 / Math.pow(base, (2.0 * i) / dim));
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < old / high) factors[i] = 1;
            else if (wavelen > old / low) factors[i] = (float) factor;
            else {
                double smooth = (old / wavelen - low) / (high - low);
                factors[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return factors;
    }

    private static void matrix(GgufWriter w, SafeTensorShards st, String hf, String gguf, int rows, int cols, GgmlType type,
                               Map<String, GgufWriter.Written> written, Map<String, float[]> source, int permuteHeads) {
        float[] values = st.floats(hf, rows, cols);
        if (permuteHeads > 0) values = permute(values, rows, cols, permuteHeads);
        source.put(gguf, values);
        written.put(gguf, w.add(gguf, values, rows, cols, type));
    }

    private static void vector(GgufWriter w, SafeTensorShards st, String hf, String gguf, Map<String, GgufWriter.Written> written) {
        float[] values = st.floats(hf, (int) st.info(hf).shape()[0]);
        written.put(gguf, w.add(gguf, values, 1, values.length, GgmlType.F32));
    }

    /**
     * {@code tokenizer.ggml.*} as {@code get_vocab_base} writes a byte-level BPE vocabulary: every id below vocab_size,
     * {@code [PADi]} (type 5, unused) for ids no token has, added tokens as control (3, special) or user-defined (4),
     * merges as "a b" strings; the pre-tokenizer by name; bos/eos ids and add_bos_token as tokenizer_config.json and
     * the post-processor say; the chat template.
     */
    private static void vocabulary(GgufWriter w, Path dir, int vocabSize, String arch) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode tok = json.readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode cfg = json.readTree(dir.resolve("tokenizer_config.json").toFile());
        JsonNode config = json.readTree(dir.resolve("config.json").toFile());
        String[] tokens = new String[vocabSize];
        int[] types = new int[vocabSize];
        for (Iterator<Map.Entry<String, JsonNode>> it = tok.get("model").get("vocab").fields(); it.hasNext(); ) {
            var e = it.next();
            tokens[e.getValue().asInt()] = e.getKey();
            types[e.getValue().asInt()] = 1;
        }
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode t : tok.get("added_tokens")) {
            tokens[t.get("id").asInt()] = t.get("content").asText();
            types[t.get("id").asInt()] = t.get("special").asBoolean() ? 3 : 4;
        }
        List<String> tokenList = new ArrayList<>();
        List<Integer> typeList = new ArrayList<>();
        for (int i = 0; i < vocabSize; i++) {
            tokenList.add(tokens[i] != null ? tokens[i] : "[PAD" + i + "]");
            typeList.add(tokens[i] != null ? types[i] : 5);
            ids.put(tokenList.getLast(), i);
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : tok.get("model").get("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        w.put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", arch.equals("llama") ? "llama-bpe" : "qwen2")
                .put("tokenizer.ggml.tokens", tokenList).put("tokenizer.ggml.token_type", typeList)
                .put("tokenizer.ggml.merges", merges);
        String bos = cfg.path("bos_token").isTextual() ? cfg.get("bos_token").asText() : null;
        w.put("tokenizer.ggml.bos_token_id", bos != null ? ids.get(bos) : config.get("bos_token_id").asInt());
        w.put("tokenizer.ggml.eos_token_id", ids.get(cfg.get("eos_token").asText()));
        if (cfg.path("pad_token").isTextual()) w.put("tokenizer.ggml.padding_token_id", ids.get(cfg.get("pad_token").asText()));
        boolean addBos = cfg.has("add_bos_token") ? cfg.get("add_bos_token").asBoolean() : tok.path("post_processor").toString().contains("TemplateProcessing");
        w.put("tokenizer.ggml.add_bos_token", addBos);
        if (cfg.has("chat_template")) w.put("tokenizer.chat_template", cfg.get("chat_template").asText());
        else if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) w.put("tokenizer.chat_template", Files.readString(dir.resolve("chat_template.jinja")));
    }
}
