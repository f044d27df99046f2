package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.layers.BidirectionalSelfAttention;
import dev.streamformer.engine.java.layers.GatedFeedForward;
import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.RmsNorm;
import dev.streamformer.engine.java.layers.Sequences;
import dev.streamformer.model.HfConfig;
import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.SafeTensors;

import java.nio.file.Path;

/**
 * T5 v1.1: an encoder–decoder. The encoder reads the whole input with bidirectional self-attention; the decoder
 * generates with causal self-attention and cross-attention to the encoder's output:
 * <pre>
 *   encoder:  h = embed(prompt);   per block  h += attention(RMSNorm(h));  h += GeGLU(RMSNorm(h));   h = RMSNorm(h)
 *   decoder:  x = embed(tokens);   per block  x += selfAttention(RMSNorm(x));  x += crossAttention(RMSNorm(x), h);
 *                                             x += GeGLU(RMSNorm(x))
 *   logits = RMSNorm(x) · scale · Eᵀ
 * </pre>
 * T5's own choices: no position embeddings, instead {@link RelativePositionBias} on the scores; attention scores are
 * <em>not</em> scaled by 1/√d_kv; its layer norm is RMSNorm; the feed-forward is gated-GELU
 * ({@code wo · (gelu_new(wi_0 · x) * (wi_1 · x))}); the output projection is the shared embedding, applied to the
 * decoder output times d_model^-0.5 where the config says so ({@code scale_decoder_outputs}).
 */
public final class T5Model implements LanguageModel {

    /** An encoder block: bidirectional self-attention, then the feed-forward, each behind its own RMSNorm. */
    record EncoderLayer(RmsNorm attentionNorm, BidirectionalSelfAttention attention, RmsNorm mlpNorm, GatedFeedForward mlp) {}

    /** A decoder block: causal self-attention, cross-attention to the encoder, the feed-forward. */
    record DecoderLayer(RmsNorm selfNorm, CausalSelfAttention self, RmsNorm crossNorm, CrossAttention cross,
                        RmsNorm mlpNorm, GatedFeedForward mlp) {}

    private static final float UNSCALED = 1f;

    private final int dim, heads, headDim, ffn, vocab, eos, decoderStart;
    private final float outputScale;                 // d_model^-0.5 when the config asks for it, else 1
    private final float[] shared;                    // [vocab, d] input embeddings of both stacks
    private final Linear lmHead;                     // d → vocab, tied: its weight is shared
    private final RelativePositionBias encoderBias;  // bidirectional
    private final RelativePositionBias decoderBias;  // causal
    private final EncoderLayer[] encoder;
    private final DecoderLayer[] decoder;
    private final RmsNorm encoderFinalNorm, decoderFinalNorm;

    private T5Model(HfConfig c, SafeTensors st, Quantization quantization) {
        dim = c.integer("d_model");
        heads = c.integer("num_heads");
        headDim = c.integer("d_kv");
        ffn = c.integer("d_ff");
        vocab = c.integer("vocab_size");
        eos = c.integer("eos_token_id", 1);
        decoderStart = c.integer("decoder_start_token_id", 0);
        float eps = (float) c.number("layer_norm_epsilon", 1e-6);
        int buckets = c.integer("relative_attention_num_buckets", 32);
        int maxDistance = c.integer("relative_attention_max_distance", 128);
        // transformers 4.x always rescaled a tied decoder output (load refuses an untied one) by d_model^-0.5;
        // transformers 5 makes it the config key scale_decoder_outputs (t5-mini sets it false, and its reference
        // logits are unscaled)
        boolean rescale = c.flag("scale_decoder_outputs", true);
        outputScale = rescale ? (float) (1.0 / Math.sqrt(dim)) : 1f;
        Weights w = new Weights(st, quantization, dim, heads * headDim, eps);
        shared = st.floats("shared.weight", vocab, dim);
        lmHead = quantization.apply(new Linear(shared, null, dim, vocab));
        encoderBias = new RelativePositionBias(st.floats("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                buckets, heads), buckets, maxDistance, heads, true);
        decoderBias = new RelativePositionBias(st.floats("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                buckets, heads), buckets, maxDistance, heads, false);
        encoder = new EncoderLayer[c.integer("num_layers")];
        for (int l = 0; l < encoder.length; l++) {
            String b = "encoder.block." + l + ".layer.";
            String a = b + "0.SelfAttention.";
            encoder[l] = new EncoderLayer(w.norm(b + "0.layer_norm"),
                    new BidirectionalSelfAttention(w.in(a + "q"), w.in(a + "k"), w.in(a + "v"), w.out(a + "o"), heads, headDim, UNSCALED),
                    w.norm(b + "1.layer_norm"), w.geglu(b + "1.DenseReluDense.", ffn));
        }
        decoder = new DecoderLayer[c.integer("num_decoder_layers", encoder.length)];
        for (int l = 0; l < decoder.length; l++) {
            String b = "decoder.block." + l + ".layer.";
            String a = b + "0.SelfAttention.", x = b + "1.EncDecAttention.";
            decoder[l] = new DecoderLayer(w.norm(b + "0.layer_norm"),
                    new CausalSelfAttention(w.in(a + "q"), w.in(a + "k"), w.in(a + "v"), w.out(a + "o"), null, null,
                            heads, heads, headDim, UNSCALED),
                    w.norm(b + "1.layer_norm"),
                    new CrossAttention(w.in(x + "q"), w.in(x + "k"), w.in(x + "v"), w.out(x + "o"), heads, headDim, UNSCALED),
                    w.norm(b + "2.layer_norm"), w.geglu(b + "2.DenseReluDense.", ffn));
        }
        encoderFinalNorm = w.norm("encoder.final_layer_norm");
        decoderFinalNorm = w.norm("decoder.final_layer_norm");
    }

    /** T5's tensor names, read into the shared boxes (no biases anywhere). */
    private record Weights(SafeTensors st, Quantization quantization, int dim, int inner, float eps) {
        RmsNorm norm(String name) {
            return new RmsNorm(st.floats(name + ".weight", dim), eps);
        }

        /** A projection d_model → heads·d_kv. */
        Linear in(String name) {
            return quantization.apply(new Linear(st.floats(name + ".weight", inner, dim), null, dim, inner));
        }

        /** A projection heads·d_kv → d_model. */
        Linear out(String name) {
            return quantization.apply(new Linear(st.floats(name + ".weight", dim, inner), null, inner, dim));
        }

        GatedFeedForward geglu(String p, int ffn) {
            return new GatedFeedForward(
                    quantization.apply(new Linear(st.floats(p + "wi_0.weight", ffn, dim), null, dim, ffn)),
                    quantization.apply(new Linear(st.floats(p + "wi_1.weight", ffn, dim), null, dim, ffn)),
                    quantization.apply(new Linear(st.floats(p + "wo.weight", dim, ffn), null, ffn, dim)),
                    GatedFeedForward.Gate.GELU_TANH);
        }
    }

    /** Loads a Hugging Face {@code T5ForConditionalGeneration} directory (T5 v1.1: gated-GELU, tied output). */
    public static T5Model load(Path modelDir) {
        return load(modelDir, Quantization.NONE);
    }

    /** Loads the folder, storing every weight matrix as {@code quantization} says. */
    public static T5Model load(Path modelDir, Quantization quantization) {
        HfConfig c = HfConfig.ofModel(modelDir);
        c.family("as encoder-decoders", HfConfig.Family.ENCODER_DECODER);
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

    @Override
    public DecoderState newState(int slots, int maxLength) {
        return new State(slots, maxLength, 64);
    }

    /** Decoder KV caches, each slot's encoder memory for cross-attention, and scratch buffers. */
    final class State implements DecoderState {
        private final int maxRows;
        private final KvCache cache;                     // [layer][slot, position, heads·d_kv]
        private final CrossAttention.Memory[][] memory;  // [layer][slot] the encoder's keys and values
        private final RelativePositionBias.Table selfBias;
        private final float[] x, normed, sublayer, wide, wide2, queries, headsOut, lastRows;
        private final CausalSelfAttention.Scratch attention;
        private float[] scores;

        State(int slots, int maxLength, int maxRows) {
            this.maxRows = maxRows;
            int inner = heads * headDim;
            cache = new KvCache(decoder.length, slots, maxLength, inner);
            memory = new CrossAttention.Memory[decoder.length][slots];
            selfBias = decoderBias.table(maxLength);
            x = new float[maxRows * dim];
            normed = new float[maxRows * dim];
            sublayer = new float[maxRows * dim];
            wide = new float[maxRows * ffn];
            wide2 = new float[maxRows * 2 * ffn];
            queries = new float[maxRows * inner];
            headsOut = new float[maxRows * inner];
            lastRows = new float[maxRows * dim];
            scores = new float[maxLength];
            attention = new CausalSelfAttention.Scratch(new float[maxRows * 3 * inner], headsOut, scores);
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
            for (int l = 0; l < decoder.length; l++) memory[l][slot] = decoder[l].cross().remember(h, n);
            if (scores.length < n) scores = new float[n];
            return new int[] {decoderStart};
        }

        /** The encoder stack over one input: {@code [n, d]} final-normed hidden states. */
        private float[] encode(int[] ids) {
            int n = ids.length;
            float[] h = new float[n * dim], hNormed = new float[n * dim], hSublayer = new float[n * dim];
            float[] hWide = new float[n * ffn], hWide2 = new float[n * 2 * ffn];
            BidirectionalSelfAttention.Scratch hAttention = new BidirectionalSelfAttention.Scratch(heads, headDim);
            Sequences one = Sequences.one(n);
            RelativePositionBias.Table bias = encoderBias.table(n);
            // token embeddings (T5 adds no positions here: they enter as attention biases)
            for (int r = 0; r < n; r++) System.arraycopy(shared, ids[r] * dim, h, r * dim, dim);
            for (EncoderLayer layer : encoder) {
                layer.attentionNorm().forward(h, n, hNormed);
                layer.attention().forward(hNormed, one, bias.values(), bias::start, hAttention, hSublayer, null);
                Kernels.addInPlace(h, hSublayer, n * dim);
                layer.mlpNorm().forward(h, n, hNormed);
                layer.mlp().forward(hNormed, n, hWide, hWide2, hSublayer);
                Kernels.addInPlace(h, hSublayer, n * dim);
            }
            encoderFinalNorm.forward(h, n, hNormed);
            return hNormed;
        }

        @Override
        public void forward(int n, int[] slots, int[] pos, int[] tokens, int[] logitRows, int nLogits, float[] logits) {
            // token embeddings
            for (int r = 0; r < n; r++) System.arraycopy(shared, tokens[r] * dim, x, r * dim, dim);
            for (int l = 0; l < decoder.length; l++) {
                DecoderLayer layer = decoder[l];
                // causal self-attention over positions 0..pos of each row's sequence, plus the relative position bias
                layer.selfNorm().forward(x, n, normed);
                layer.self().forward(normed, n, slots, pos, null, selfBias, cache, l, attention, sublayer);
                Kernels.addInPlace(x, sublayer, n * dim);
                // cross-attention to every position of the sequence's encoder output
                layer.crossNorm().forward(x, n, normed);
                layer.cross().forward(normed, n, slots, memory[l], queries, headsOut, scores, sublayer);
                Kernels.addInPlace(x, sublayer, n * dim);
                // gated-GELU feed-forward
                layer.mlpNorm().forward(x, n, normed);
                layer.mlp().forward(normed, n, wide, wide2, sublayer);
                Kernels.addInPlace(x, sublayer, n * dim);
            }
            // final RMS norm of the rows that need a prediction
            for (int i = 0; i < nLogits; i++) System.arraycopy(x, logitRows[i] * dim, lastRows, i * dim, dim);
            decoderFinalNorm.forward(lastRows, nLogits, normed);
            // tied output: rescale (d_model^-0.5 when configured), then project on the shared embedding
            if (outputScale != 1f) for (int i = 0; i < nLogits * dim; i++) normed[i] *= outputScale;
            lmHead.forward(normed, nLogits, logits);
        }
    }
}
