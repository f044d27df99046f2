package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.DecoderState;

import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.SafeTensors;

import java.nio.file.Path;

/**
 * GPT-2: token + learned position embeddings, {@code n_layer} pre-LN blocks
 * ({@code x = x + attn(ln_1(x))}, {@code x = x + mlp(ln_2(x))}) with causal self-attention and a
 * {@code gelu_new} MLP, a final LayerNorm, and a language-model head tied to the token embeddings.
 */
public final class Gpt2Model implements LanguageModel {

    /** One transformer block. */
    record Block(float[] ln1Gamma, float[] ln1Beta, // [d]
                 Linear qkv,                      // d → 3·d: Q, K, V side by side
                 Linear attnOut,                  // d → d
                 float[] ln2Gamma, float[] ln2Beta, // [d]
                 Linear fc,                       // d → ffn
                 Linear proj) {}                  // ffn → d

    final int dim;
    final int heads;
    final int headDim;
    final int ffn;
    final int vocab;
    final int positions;
    final float eps;
    final int eos;
    final float[] tokenEmbedding;    // [vocab, d]
    final Linear lmHead;             // d → vocab, tied: its weight is tokenEmbedding
    final float[] positionEmbedding; // [positions, d]
    final Block[] blocks;
    final float[] lnFGamma, lnFBeta;

    private Gpt2Model(int dim, int heads, int ffn, int vocab, int positions, float eps, int eos,
                      float[] tokenEmbedding, float[] positionEmbedding, Block[] blocks, float[] lnFGamma, float[] lnFBeta,
                      Quantization quantization) {
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.ffn = ffn;
        this.vocab = vocab;
        this.positions = positions;
        this.eps = eps;
        this.eos = eos;
        this.tokenEmbedding = tokenEmbedding;
        this.lmHead = quantization.apply(new Linear(tokenEmbedding, null, dim, vocab));
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks;
        this.lnFGamma = lnFGamma;
        this.lnFBeta = lnFBeta;
    }

    /** Loads a Hugging Face {@code GPT2LMHeadModel} directory ({@code config.json} + {@code model.safetensors}). */
    public static Gpt2Model load(Path modelDir) {
        return load(modelDir, Quantization.NONE);
    }

    /** Loads the folder, storing every weight matrix (the tied LM head included) as {@code quantization} says. */
    public static Gpt2Model load(Path modelDir, Quantization quantization) {
        ModelConfig config = ModelConfig.read(modelDir);
        config.require(config.modelType().equals("gpt2"), "model_type '" + config.modelType() + "' (expected gpt2)");
        String act = config.text("activation_function", "gelu_new");
        config.require(act.equals("gelu_new"), "activation_function '" + act + "'");
        config.require(!config.flag("scale_attn_by_inverse_layer_idx", false), "scale_attn_by_inverse_layer_idx");
        config.require(config.flag("scale_attn_weights", true), "scale_attn_weights=false");
        int d = config.integer("n_embd");
        int heads = config.integer("n_head");
        int layers = config.integer("n_layer");
        int vocab = config.integer("vocab_size");
        int positions = config.integer("n_positions");
        int ffn = config.integer("n_inner", 4 * d);
        float eps = (float) config.number("layer_norm_epsilon", 1e-5);
        int eos = config.integer("eos_token_id", -1);
        config.require(d % heads == 0, "n_embd not divisible by n_head");

        try (SafeTensors st = SafeTensors.open(modelDir.resolve("model.safetensors"))) {
            String p = st.contains("transformer.wte.weight") ? "transformer." : "";
            Block[] blocks = new Block[layers];
            for (int l = 0; l < layers; l++) {
                String b = p + "h." + l + ".";
                // GPT-2 stores its linear layers as Conv1D with weight [in, out]; Kernels.linear wants [out, in],
                // so conv1D transposes each one once, here.
                blocks[l] = new Block(
                        st.floats(b + "ln_1.weight", d), st.floats(b + "ln_1.bias", d),
                        conv1D(st, b + "attn.c_attn", d, 3 * d, quantization),
                        conv1D(st, b + "attn.c_proj", d, d, quantization),
                        st.floats(b + "ln_2.weight", d), st.floats(b + "ln_2.bias", d),
                        conv1D(st, b + "mlp.c_fc", d, ffn, quantization),
                        conv1D(st, b + "mlp.c_proj", ffn, d, quantization));
            }
            config.require(!st.contains("lm_head.weight") || config.flag("tie_word_embeddings", true),
                    "an untied lm_head.weight");
            return new Gpt2Model(d, heads, ffn, vocab, positions, eps, eos,
                    st.floats(p + "wte.weight", vocab, d), st.floats(p + "wpe.weight", positions, d), blocks,
                    st.floats(p + "ln_f.weight", d), st.floats(p + "ln_f.bias", d), quantization);
        }
    }

    /** A GPT-2 Conv1D (weight {@code [in, out]}) as a {@link Linear} (weight {@code [out, in]}). */
    private static Linear conv1D(SafeTensors st, String name, int in, int out, Quantization quantization) {
        return quantization.apply(new Linear(transpose(st.floats(name + ".weight", in, out), in, out), st.floats(name + ".bias", out), in, out));
    }

    /** {@code [rows, cols]} → {@code [cols, rows]}. */
    static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        }
        return t;
    }

    @Override public String architecture() { return "gpt2"; }
    @Override public int vocabSize() { return vocab; }
    @Override public int[] eosIds() { return eos < 0 ? new int[0] : new int[] {eos}; }
    @Override public int maxPositions() { return positions; }

    @Override
    public DecoderState newState(int slots, int maxLength) {
        if (maxLength > positions) {
            throw new IllegalArgumentException("GPT-2 here has " + positions + " positions; a sequence of "
                    + maxLength + " tokens does not fit, lower the prompt length or max new tokens.");
        }
        return new State(slots, maxLength, 64);
    }

    /** KV caches and scratch buffers for up to {@code slots} sequences. */
    final class State implements DecoderState {
        final int maxLength;
        final int maxRows;
        final KvCache cache;    // [layer][slot, position, d]
        final float[] x;        // [rows, d] the residual stream
        final float[] xb;       // [rows, d] normalised input of a sublayer
        final float[] qkv;      // [rows, 3·d]
        final float[] attnOut;  // [rows, d] heads concatenated
        final float[] proj;     // [rows, d] a sublayer's output before the residual add
        final float[] hidden;   // [rows, ffn]
        final float[] scores;   // [maxLength]
        final float[] lastRows; // [rows, d] the final-normed rows that need logits

        State(int slots, int maxLength, int maxRows) {
            this.maxLength = maxLength;
            this.maxRows = maxRows;
            cache = new KvCache(blocks.length, slots, maxLength, dim);
            x = new float[maxRows * dim];
            xb = new float[maxRows * dim];
            qkv = new float[maxRows * 3 * dim];
            attnOut = new float[maxRows * dim];
            proj = new float[maxRows * dim];
            hidden = new float[maxRows * ffn];
            scores = new float[maxLength];
            lastRows = new float[maxRows * dim];
        }

        @Override
        public int[] start(int slot, int[] promptIds) {
            return promptIds.clone();
        }

        @Override
        public int maxRows() {
            return maxRows;
        }

        @Override
        public void forward(int n, int[] slots, int[] pos, int[] tokens, int[] logitRows, int nLogits, float[] logits) {
            final int d = dim;
            final float scale = (float) (1.0 / Math.sqrt(headDim));
            // token embedding + learned position embedding, one row per (sequence, position)
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < d; i++) {
                    x[r * d + i] = tokenEmbedding[tokens[r] * d + i] + positionEmbedding[pos[r] * d + i];
                }
            }
            for (int l = 0; l < blocks.length; l++) {
                Block b = blocks[l];
                // attention layernorm (pre-LN)
                Kernels.layerNorm(x, n, d, b.ln1Gamma(), b.ln1Beta(), eps, xb);
                // q, k, v of every row: qkv[n, 3d] = xb · W_qkvᵀ + b
                b.qkv().forward(xb, n, qkv);
                // save key and value (the 2nd and 3rd thirds of each qkv row) to the row's sequence, at its position
                cache.store(l, n, slots, pos, qkv, d, qkv, 2 * d, 3 * d);
                // causal self-attention: each head of row r looks at positions 0..pos[r] of its own sequence
                cache.attend(l, n, slots, pos, qkv, 0, 3 * d, heads, heads, headDim, scale, null, null, scores, attnOut, d);
                // output projection of the concatenated heads, then the residual connection
                b.attnOut().forward(attnOut, n, proj);
                Kernels.addInPlace(x, proj, n * d);
                // MLP layernorm
                Kernels.layerNorm(x, n, d, b.ln2Gamma(), b.ln2Beta(), eps, xb);
                // MLP: expand to ffn, gelu_new, project back
                b.fc().forward(xb, n, hidden);
                Kernels.geluTanh(hidden, n * ffn);
                b.proj().forward(hidden, n, proj);
                // residual connection
                Kernels.addInPlace(x, proj, n * d);
            }
            // final layernorm of the rows that need a prediction
            for (int i = 0; i < nLogits; i++) System.arraycopy(x, logitRows[i] * d, lastRows, i * d, d);
            Kernels.layerNorm(lastRows, nLogits, d, lnFGamma, lnFBeta, eps, xb);
            // LM head tied to the token embeddings: logits[v] = h · wte[v]
            lmHead.forward(xb, nLogits, logits);
        }
    }
}
