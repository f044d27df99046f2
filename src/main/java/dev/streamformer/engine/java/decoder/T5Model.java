package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.DecoderState;

import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.SafeTensors;

import java.nio.file.Path;

/**
 * T5 v1.1: an encoder–decoder. The encoder reads the whole input with bidirectional self-attention; the
 * decoder generates with causal self-attention and cross-attention to the encoder's output.
 *
 * <p>T5's own choices, all visible below: no position embeddings, instead a learned bias per head for each
 * relative-distance bucket (table in block 0 of each stack, shared by all its blocks); attention scores are
 * <em>not</em> scaled by 1/sqrt(d_k); layer norm is RMS-style (no mean, no bias); the feed-forward is gated-GELU
 * ({@code wo · (gelu_new(wi_0 · x) * (wi_1 · x))}); the output projection is the shared embedding, applied to
 * the decoder output, times d_model^-0.5 where the config says so ({@code scale_decoder_outputs}).
 */
public final class T5Model implements LanguageModel {

    /** Self-attention or cross-attention: its RMS norm weight, q/k/v (d_model → heads·d_kv) and o (back), no biases. */
    record AttentionWeights(float[] norm, Linear q, Linear k, Linear v, Linear o) {}

    /** Gated-GELU feed-forward: {@code wi0, wi1} d → ffn, {@code wo} ffn → d, no biases. */
    record FeedForward(float[] norm, Linear wi0, Linear wi1, Linear wo) {}

    record EncoderBlock(AttentionWeights self, FeedForward ffn) {}

    record DecoderBlock(AttentionWeights self, AttentionWeights cross, FeedForward ffn) {}

    final int dim, heads, headDim, inner, ffn, vocab, buckets, maxDistance, eos, decoderStart;
    final float eps;
    final float outputScale;       // d_model^-0.5 when the config asks for it, else 1
    final float[] shared;          // [vocab, d] input embeddings of both stacks
    final Linear lmHead;           // d → vocab, tied: its weight is shared
    final float[] encoderBias;     // [buckets, heads] relative position bias, bidirectional
    final float[] decoderBias;     // [buckets, heads] relative position bias, causal
    final EncoderBlock[] encoder;
    final DecoderBlock[] decoder;
    final float[] encoderFinalNorm, decoderFinalNorm;
    private final Quantization quantization;

    private T5Model(ModelConfig c, SafeTensors st, Quantization quantization) {
        this.quantization = quantization;
        dim = c.integer("d_model");
        heads = c.integer("num_heads");
        headDim = c.integer("d_kv");
        inner = heads * headDim;
        ffn = c.integer("d_ff");
        vocab = c.integer("vocab_size");
        buckets = c.integer("relative_attention_num_buckets", 32);
        maxDistance = c.integer("relative_attention_max_distance", 128);
        eos = c.integer("eos_token_id", 1);
        decoderStart = c.integer("decoder_start_token_id", 0);
        eps = (float) c.number("layer_norm_epsilon", 1e-6);
        // transformers 4.x always rescaled a tied decoder output by d_model^-0.5; transformers 5 makes it the
        // config key scale_decoder_outputs (t5-mini sets it false, and its reference logits are unscaled)
        boolean rescale = c.flag("scale_decoder_outputs", c.flag("tie_word_embeddings", true));
        outputScale = rescale ? (float) (1.0 / Math.sqrt(dim)) : 1f;
        shared = st.floats("shared.weight", vocab, dim);
        lmHead = quantization.apply(new Linear(shared, null, dim, vocab));
        encoderBias = st.floats("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", buckets, heads);
        decoderBias = st.floats("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", buckets, heads);
        encoder = new EncoderBlock[c.integer("num_layers")];
        for (int l = 0; l < encoder.length; l++) {
            String b = "encoder.block." + l + ".layer.";
            encoder[l] = new EncoderBlock(attention(st, b + "0.", "SelfAttention"), feedForward(st, b + "1."));
        }
        decoder = new DecoderBlock[c.integer("num_decoder_layers", encoder.length)];
        for (int l = 0; l < decoder.length; l++) {
            String b = "decoder.block." + l + ".layer.";
            decoder[l] = new DecoderBlock(attention(st, b + "0.", "SelfAttention"), attention(st, b + "1.", "EncDecAttention"),
                    feedForward(st, b + "2."));
        }
        encoderFinalNorm = st.floats("encoder.final_layer_norm.weight", dim);
        decoderFinalNorm = st.floats("decoder.final_layer_norm.weight", dim);
    }

    private AttentionWeights attention(SafeTensors st, String p, String kind) {
        String a = p + kind + ".";
        return new AttentionWeights(st.floats(p + "layer_norm.weight", dim),
                quantization.apply(new Linear(st.floats(a + "q.weight", inner, dim), null, dim, inner)),
                quantization.apply(new Linear(st.floats(a + "k.weight", inner, dim), null, dim, inner)),
                quantization.apply(new Linear(st.floats(a + "v.weight", inner, dim), null, dim, inner)),
                quantization.apply(new Linear(st.floats(a + "o.weight", dim, inner), null, inner, dim)));
    }

    private FeedForward feedForward(SafeTensors st, String p) {
        String f = p + "DenseReluDense.";
        return new FeedForward(st.floats(p + "layer_norm.weight", dim),
                quantization.apply(new Linear(st.floats(f + "wi_0.weight", ffn, dim), null, dim, ffn)),
                quantization.apply(new Linear(st.floats(f + "wi_1.weight", ffn, dim), null, dim, ffn)),
                quantization.apply(new Linear(st.floats(f + "wo.weight", dim, ffn), null, ffn, dim)));
    }

    /** Loads a Hugging Face {@code T5ForConditionalGeneration} directory (T5 v1.1: gated-GELU, tied output). */
    public static T5Model load(Path modelDir) {
        return load(modelDir, Quantization.NONE);
    }

    /** Loads the folder, storing every weight matrix as {@code quantization} says. */
    public static T5Model load(Path modelDir, Quantization quantization) {
        ModelConfig c = ModelConfig.read(modelDir);
        c.require(c.modelType().equals("t5"), "model_type '" + c.modelType() + "' (expected t5)");
        String proj = c.text("feed_forward_proj", "relu");
        c.require(proj.equals("gated-gelu"), "feed_forward_proj '" + proj + "' (only gated-gelu, T5 v1.1)");
        c.require(c.flag("tie_word_embeddings", true), "an untied lm_head (tie_word_embeddings=false)");
        try (SafeTensors st = SafeTensors.open(modelDir.resolve("model.safetensors"))) {
            return new T5Model(c, st, quantization);
        }
    }

    @Override public String architecture() { return "t5"; }
    @Override public int vocabSize() { return vocab; }
    @Override public int[] eosIds() { return new int[] {eos}; }
    /** Relative positions put no hard limit on the decoder's length. */
    @Override public int maxPositions() { return Integer.MAX_VALUE; }
    @Override public boolean encoderDecoder() { return true; }

    /**
     * T5's bucket for a relative distance {@code rel = key - query}: exact buckets for small distances, then
     * logarithmically wider ones up to {@code maxDistance}. Bidirectional (encoder) spends half the buckets on
     * keys after the query; causal (decoder) only sees {@code rel <= 0}. Computed in fp32 like transformers.
     */
    static int bucket(int rel, boolean bidirectional, int numBuckets, int maxDistance) {
        int bucket = 0;
        int n = numBuckets;
        int distance;
        if (bidirectional) {
            n /= 2;
            if (rel > 0) bucket += n;
            distance = Math.abs(rel);
        } else {
            distance = -Math.min(rel, 0);
        }
        int maxExact = n / 2;
        if (distance < maxExact) return bucket + distance;
        float logRatio = (float) Math.log((float) distance / maxExact) / (float) Math.log((double) maxDistance / maxExact);
        int large = maxExact + (int) (logRatio * (n - maxExact));
        return bucket + Math.min(large, n - 1);
    }

    /**
     * Bias table for relative distances {@code rel = -(span-1) .. (bidirectional ? span-1 : 0)}: head {@code h},
     * distance {@code rel} at {@code [h * width + (span - 1) + rel]}, so that for one query the biases of keys
     * {@code 0, 1, 2, …} are contiguous.
     */
    private float[] biasTable(float[] weights, boolean bidirectional, int span) {
        int width = bidirectional ? 2 * span - 1 : span;
        float[] table = new float[heads * width];
        for (int i = 0; i < width; i++) {
            int b = bucket(i - (span - 1), bidirectional, buckets, maxDistance);
            for (int h = 0; h < heads; h++) table[h * width + i] = weights[b * heads + h];
        }
        return table;
    }

    @Override
    public DecoderState newState(int slots, int maxLength) {
        return new State(slots, maxLength, 64);
    }

    /** Decoder KV caches, each slot's encoder keys/values for cross-attention, and scratch buffers. */
    final class State implements DecoderState {
        final int maxLength, maxRows;
        final KvCache cache;                   // [layer][slot, position, inner]
        final float[][][] crossKeys, crossValues; // [layer][slot][encoderLength, inner]
        final int[] encoderLength;             // [slot]
        final float[] selfBias;                // causal relative bias table, see biasTable
        final float[] x, xb, q, k, v, attnOut, proj, gate, up, lastRows;
        float[] scores;

        State(int slots, int maxLength, int maxRows) {
            this.maxLength = maxLength;
            this.maxRows = maxRows;
            cache = new KvCache(decoder.length, slots, maxLength, inner);
            crossKeys = new float[decoder.length][slots][];
            crossValues = new float[decoder.length][slots][];
            encoderLength = new int[slots];
            selfBias = biasTable(decoderBias, false, maxLength);
            x = new float[maxRows * dim];
            xb = new float[maxRows * dim];
            q = new float[maxRows * inner];
            k = new float[maxRows * inner];
            v = new float[maxRows * inner];
            attnOut = new float[maxRows * inner];
            proj = new float[maxRows * dim];
            gate = new float[maxRows * ffn];
            up = new float[maxRows * ffn];
            lastRows = new float[maxRows * dim];
            scores = new float[maxLength];
        }

        @Override
        public int maxRows() {
            return maxRows;
        }

        /** Encodes the prompt, keeps every decoder layer's cross-attention keys/values of it, and starts the decoder. */
        @Override
        public int[] start(int slot, int[] promptIds) {
            int n = promptIds.length;
            if (n == 0) throw new IllegalArgumentException("T5 needs at least one input token (the tokenizer adds </s>).");
            float[] h = encode(promptIds);
            // cross-attention keys and values of the encoder output, once per sequence: [n, inner] per layer
            for (int l = 0; l < decoder.length; l++) {
                AttentionWeights cross = decoder[l].cross();
                crossKeys[l][slot] = new float[n * inner];
                crossValues[l][slot] = new float[n * inner];
                cross.k().forward(h, n, crossKeys[l][slot]);
                cross.v().forward(h, n, crossValues[l][slot]);
            }
            encoderLength[slot] = n;
            if (scores.length < n) scores = new float[n];
            return new int[] {decoderStart};
        }

        /** The encoder stack over one input: {@code [n, d]} final-normed hidden states. */
        private float[] encode(int[] ids) {
            int n = ids.length;
            float[] ex = new float[n * dim], exb = new float[n * dim], eq = new float[n * inner], ek = new float[n * inner],
                    ev = new float[n * inner], eAttn = new float[n * inner], eProj = new float[n * dim],
                    eGate = new float[n * ffn], eUp = new float[n * ffn], eScores = new float[n];
            float[] bias = biasTable(encoderBias, true, n);
            int width = 2 * n - 1;
            // token embeddings (T5 adds no positions here: they enter as attention biases)
            for (int r = 0; r < n; r++) System.arraycopy(shared, ids[r] * dim, ex, r * dim, dim);
            for (EncoderBlock b : encoder) {
                AttentionWeights sa = b.self();
                // self-attention RMS norm
                Kernels.rmsNorm(ex, n, dim, sa.norm(), eps, exb);
                // q, k, v for all positions
                sa.q().forward(exb, n, eq);
                sa.k().forward(exb, n, ek);
                sa.v().forward(exb, n, ev);
                // bidirectional attention, unscaled scores plus the relative position bias of (key - query)
                for (int i = 0; i < n; i++) {
                    for (int hd = 0; hd < heads; hd++) {
                        Attention.head(eq, i * inner + hd * headDim, ek, ev, hd * headDim, inner, n, headDim, 1f,
                                bias, hd * width + (n - 1) - i, eScores, eAttn, i * inner + hd * headDim);
                    }
                }
                // output projection, residual
                sa.o().forward(eAttn, n, eProj);
                Kernels.addInPlace(ex, eProj, n * dim);
                // gated-GELU feed-forward, residual
                gatedGelu(b.ffn(), ex, exb, eGate, eUp, eProj, n);
            }
            // final RMS norm
            Kernels.rmsNorm(ex, n, dim, encoderFinalNorm, eps, exb);
            return exb;
        }

        /** {@code x += wo · (gelu_new(wi_0 · norm(x)) * (wi_1 · norm(x)))} on {@code n} rows. */
        private void gatedGelu(FeedForward f, float[] x, float[] xb, float[] gate, float[] up, float[] out, int n) {
            Kernels.rmsNorm(x, n, dim, f.norm(), eps, xb);
            f.wi0().forward(xb, n, gate);
            f.wi1().forward(xb, n, up);
            Kernels.geluTanh(gate, n * ffn);
            for (int i = 0; i < n * ffn; i++) gate[i] *= up[i];
            f.wo().forward(gate, n, out);
            Kernels.addInPlace(x, out, n * dim);
        }

        @Override
        public void forward(int n, int[] slots, int[] pos, int[] tokens, int[] logitRows, int nLogits, float[] logits) {
            // token embeddings
            for (int r = 0; r < n; r++) System.arraycopy(shared, tokens[r] * dim, x, r * dim, dim);
            for (int l = 0; l < decoder.length; l++) {
                DecoderBlock b = decoder[l];
                AttentionWeights sa = b.self();
                // self-attention RMS norm, q k v
                Kernels.rmsNorm(x, n, dim, sa.norm(), eps, xb);
                sa.q().forward(xb, n, q);
                sa.k().forward(xb, n, k);
                sa.v().forward(xb, n, v);
                // save key and value to the kv cache
                cache.store(l, n, slots, pos, k, 0, v, 0, inner);
                // causal self-attention over positions 0..pos, unscaled, plus the relative position bias: head h's row
                // of the bias table for a query at position p starts where key position 0 sits, (maxLength - 1) - p
                cache.attend(l, n, slots, pos, q, 0, inner, heads, heads, headDim, 1f,
                        selfBias, (h, p) -> h * maxLength + (maxLength - 1) - p, scores, attnOut, inner);
                // output projection, residual
                sa.o().forward(attnOut, n, proj);
                Kernels.addInPlace(x, proj, n * dim);

                AttentionWeights ca = b.cross();
                // cross-attention RMS norm, queries from the decoder
                Kernels.rmsNorm(x, n, dim, ca.norm(), eps, xb);
                ca.q().forward(xb, n, q);
                // attend to every position of this sequence's encoder output (keys/values cached at start), unscaled
                for (int r = 0; r < n; r++) {
                    int s = slots[r];
                    for (int h = 0; h < heads; h++) {
                        Attention.head(q, r * inner + h * headDim, crossKeys[l][s], crossValues[l][s], h * headDim, inner,
                                encoderLength[s], headDim, 1f, null, 0, scores, attnOut, r * inner + h * headDim);
                    }
                }
                // output projection, residual
                ca.o().forward(attnOut, n, proj);
                Kernels.addInPlace(x, proj, n * dim);
                // gated-GELU feed-forward, residual
                gatedGelu(b.ffn(), x, xb, gate, up, proj, n);
            }
            // final RMS norm of the rows that need a prediction
            for (int i = 0; i < nLogits; i++) System.arraycopy(x, logitRows[i] * dim, lastRows, i * dim, dim);
            Kernels.rmsNorm(lastRows, nLogits, dim, decoderFinalNorm, eps, xb);
            // tied output: rescale (d_model^-0.5 when configured), then project on the shared embedding
            if (outputScale != 1f) for (int i = 0; i < nLogits * dim; i++) xb[i] *= outputScale;
            lmHead.forward(xb, nLogits, logits);
        }
    }
}
