package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.tensor.SafeTensorsWriter;
import dev.streamformer.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Random;

/**
 * A Llama-architecture decoder with random, seeded weights, written as the Hugging Face folder a user would download:
 * {@code config.json} ({@code model_type llama}), {@code generation_config.json}, one {@code model.safetensors}
 * (BF16 or F32), a {@code README.md} model card and the tokenizer's {@code tokenizer.json} (+ {@code tokenizer_config.json}). It exists to time
 * engines on a model of realistic size without shipping weights: the same sizes and seed give the same bytes.
 *
 * <p>Weights are drawn from N(0, 0.02²) (transformers' {@code initializer_range}), every norm is 1, one stream of
 * random numbers per tensor (seeded by the model seed and the tensor's name), so tensors do not depend on each other.
 * The output rows of {@code <unk>} (0) and {@code </s>} (2) are zero, as rows no token uses are in real checkpoints:
 * their logit is then exactly 0 while the best of 32,000 random logits is positive, so greedy decoding never ends a
 * sequence early. That matters for Jlama, whose {@code generate} always stops at end-of-sequence.
 *
 * @param vocab          vocabulary size; must equal the tokenizer's (32,000 for the Llama 2 tokenizer)
 * @param hidden         model width (a multiple of 64, so every engine's vector and Q8_0 block widths divide it)
 * @param layers         decoder blocks
 * @param heads          query heads ({@code hidden / heads} is the head size)
 * @param kvHeads        key/value heads (grouped-query attention when fewer than {@code heads})
 * @param intermediate   SwiGLU width (a multiple of 64: Jlama rejects one that is not a multiple of its vector width)
 * @param tiedEmbeddings the LM head reuses the embedding table (no {@code lm_head.weight})
 * @param dtype          how the weights are stored
 * @param seed           seeds every tensor
 */
public record RandomLlama(int vocab, int hidden, int layers, int heads, int kvHeads, int intermediate,
                          boolean tiedEmbeddings, SafeTensorsWriter.Dtype dtype, long seed) {

    /** Positions the model declares (Jlama sizes its key/value cache pages from it). */
    public static final int MAX_POSITIONS = 2048;
    static final int BOS = 1, EOS = 2, UNK = 0;
    private static final float INIT_STD = 0.02f;

    public RandomLlama {
        if (vocab <= EOS || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || intermediate <= 0) {
            throw new IllegalArgumentException("random llama sizes must be positive (vocab " + vocab + ", hidden " + hidden
                    + ", layers " + layers + ", heads " + heads + "/" + kvHeads + ", intermediate " + intermediate + ").");
        }
        if (hidden % 64 != 0 || intermediate % 64 != 0) {
            throw new IllegalArgumentException("--hidden (" + hidden + ") and --intermediate (" + intermediate
                    + ") must be multiples of 64, so that Jlama's vector width and 32-value Q8_0 blocks divide them.");
        }
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("--hidden " + hidden + " must split into " + heads + " heads of an even size.");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads evenly.");
        }
    }

    /** About 75 M parameters: 8 layers of width 768, 12 query / 4 key-value heads, tied embeddings, BF16, 32k vocab. */
    public static RandomLlama defaults() {
        return new RandomLlama(32_000, 768, 8, 12, 4, 2048, true, SafeTensorsWriter.Dtype.BF16, 42);
    }

    public RandomLlama withTiedEmbeddings(boolean v) { return new RandomLlama(vocab, hidden, layers, heads, kvHeads, intermediate, v, dtype, seed); }
    public RandomLlama withDtype(SafeTensorsWriter.Dtype v) { return new RandomLlama(vocab, hidden, layers, heads, kvHeads, intermediate, tiedEmbeddings, v, seed); }
    public RandomLlama withSeed(long v) { return new RandomLlama(vocab, hidden, layers, heads, kvHeads, intermediate, tiedEmbeddings, dtype, v); }

    public int headDim() { return hidden / heads; }

    /** Every weight, embeddings (and LM head when untied) included. */
    public long parameters() {
        long kv = (long) kvHeads * headDim();
        long perLayer = 2L * hidden * hidden + 2L * hidden * kv + 3L * hidden * intermediate + 2L * hidden;
        return (tiedEmbeddings ? 1 : 2) * (long) vocab * hidden + layers * perLayer + hidden;
    }

    /** A folder name that says every size, so differently shaped models never share a folder. */
    public String folderName() {
        return String.format(Locale.ROOT, "random-llama-h%d-l%d-a%d-kv%d-i%d-v%d-%s-%s-s%d", hidden, layers, heads, kvHeads,
                intermediate, vocab, tiedEmbeddings ? "tied" : "untied", dtype.name().toLowerCase(Locale.ROOT), seed);
    }

    /** One line for benchmark output. */
    public String describe() {
        return String.format(Locale.ROOT, "random llama, %.1f M parameters: hidden %d, %d layers, %d/%d heads of %d, intermediate %d, "
                        + "vocab %d, %s embeddings, %s, seed %d", parameters() / 1e6, hidden, layers, heads, kvHeads, headDim(),
                intermediate, vocab, tiedEmbeddings ? "tied" : "untied", dtype, seed);
    }

    /**
     * Writes the model into {@code dir} (created if needed) with the tokenizer files found next to
     * {@code tokenizerJson}. Weights already there from an earlier run with the same sizes and seed are kept: they
     * are the same bytes, and {@code config.json} is written last, so a folder that has it is complete.
     *
     * @return {@code dir}
     */
    public Path write(Path dir, Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("the random llama needs a 32,000-id Llama 2 tokenizer.json, and " + tokenizerJson.toAbsolutePath()
                    + " does not exist: give one with --tokenizer (../shared/tokenizers/llama2/tokenizer.json is the default).");
        }
        try {
            Files.createDirectories(dir);
            copyTokenizer(tokenizerJson, dir);
            Files.writeString(dir.resolve("README.md"), modelCard());
            if (Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve("model.safetensors"))) return dir;
            writeWeights(dir.resolve("model.safetensors"));
            writeJson(dir.resolve("generation_config.json"), generationConfig());
            writeJson(dir.resolve("config.json"), config());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the random llama into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copyTokenizer(Path tokenizerJson, Path dir) throws IOException {
        Files.copy(tokenizerJson, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        Path config = tokenizerJson.resolveSibling("tokenizer_config.json");
        if (Files.isRegularFile(config)) {
            Files.copy(config, dir.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code config.json} as transformers writes it for {@code LlamaForCausalLM}. */
    ObjectNode config() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", vocab);
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("head_dim", headDim());
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("attention_bias", false);
        c.put("mlp_bias", false);
        c.put("pretraining_tp", 1);
        c.put("tie_word_embeddings", tiedEmbeddings);
        c.put("initializer_range", INIT_STD);
        c.put("bos_token_id", BOS);
        c.put("eos_token_id", EOS);
        c.put("torch_dtype", dtype == SafeTensorsWriter.Dtype.BF16 ? "bfloat16" : "float32");
        c.put("use_cache", true);
        return c;
    }

    /** The model card a Hub folder has (Jlama's quantizer copies it, and fails without one). */
    private String modelCard() {
        return "# " + folderName() + "\n\nRandom weights (seeded), written by `streamformer bench generate --random-llama` to time "
                + "inference engines; it generates noise.\n\n" + describe() + ".\n";
    }

    private static ObjectNode generationConfig() {
        ObjectNode g = new ObjectMapper().createObjectNode();
        g.put("bos_token_id", BOS);
        g.put("eos_token_id", EOS);
        return g;
    }

    private void writeWeights(Path file) throws IOException {
        int kv = kvHeads * headDim();
        SafeTensorsWriter w = new SafeTensorsWriter();
        Tensor embeddings = random("model.embed_tokens.weight", vocab, hidden);
        if (tiedEmbeddings) zeroRows(embeddings, UNK, EOS);
        w.add("model.embed_tokens.weight", embeddings, dtype);
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            w.add(p + "input_layernorm.weight", ones(hidden), dtype);
            w.add(p + "self_attn.q_proj.weight", random(p + "self_attn.q_proj.weight", hidden, hidden), dtype);
            w.add(p + "self_attn.k_proj.weight", random(p + "self_attn.k_proj.weight", kv, hidden), dtype);
            w.add(p + "self_attn.v_proj.weight", random(p + "self_attn.v_proj.weight", kv, hidden), dtype);
            w.add(p + "self_attn.o_proj.weight", random(p + "self_attn.o_proj.weight", hidden, hidden), dtype);
            w.add(p + "post_attention_layernorm.weight", ones(hidden), dtype);
            w.add(p + "mlp.gate_proj.weight", random(p + "mlp.gate_proj.weight", intermediate, hidden), dtype);
            w.add(p + "mlp.up_proj.weight", random(p + "mlp.up_proj.weight", intermediate, hidden), dtype);
            w.add(p + "mlp.down_proj.weight", random(p + "mlp.down_proj.weight", hidden, intermediate), dtype);
        }
        w.add("model.norm.weight", ones(hidden), dtype);
        if (!tiedEmbeddings) {
            Tensor head = random("lm_head.weight", vocab, hidden);
            zeroRows(head, UNK, EOS);
            w.add("lm_head.weight", head, dtype);
        }
        w.write(file);
    }

    /** A [rows, cols] tensor of N(0, 0.02²) values from a stream seeded by the model seed and {@code name}. */
    private Tensor random(String name, int rows, int cols) {
        Random random = new Random(seed * 31 + name.hashCode());
        float[] data = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * INIT_STD;
        return new Tensor(data, new int[] {rows, cols});
    }

    private static Tensor ones(int n) {
        float[] data = new float[n];
        java.util.Arrays.fill(data, 1f);
        return new Tensor(data, new int[] {n});
    }

    private static void zeroRows(Tensor t, int... rows) {
        int cols = t.dim(1);
        for (int r : rows) java.util.Arrays.fill(t.data(), r * cols, (r + 1) * cols, 0f);
    }

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
}
