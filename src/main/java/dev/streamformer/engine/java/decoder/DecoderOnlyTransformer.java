package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.Norm;

/**
 * A decoder-only Transformer: GPT-2 and the Llama lineage (Llama 2/3, Mistral, Qwen2/2.5/3, SmolLM, TinyLlama, and
 * llama2.c's checkpoints):
 * <pre>
 *   x = embed(tokens) (+ P[position], GPT-2)            [rows, hidden]   Llama: no position embedding, RoPE rotates q, k
 *   for each block:  x = x + attention(norm(x));  x = x + mlp(norm(x))
 *   logits = norm(x) · Eᵀ                               [rows, vocab]    E: lm_head, or the embeddings when tied
 * </pre>
 * GPT-2 fills the boxes with LayerNorm and a GELU MLP, the Llama lineage with RMSNorm and SwiGLU; the loop is the same.
 * Weights are read-only after load, so one instance serves every thread; each generation gets its own {@link State}.
 */
public final class DecoderOnlyTransformer implements LanguageModel {

    private final DecoderConfig config;
    private final String architecture;
    private final float[] embeddings;            // [vocab, hidden]
    private final float[] positionEmbeddings;    // [maxPositions, hidden]; null with RoPE
    private final DecoderBlock[] blocks;
    private final Norm finalNorm;
    private final Linear lmHead;                 // hidden → vocab
    private final RotaryEmbedding.Pairing pairing;

    /**
     * @param positionEmbeddings learned positions added to the token embeddings, or null when the config has RoPE
     * @param pairing            which features RoPE rotates together; null without RoPE
     */
    DecoderOnlyTransformer(DecoderConfig config, String architecture, float[] embeddings, float[] positionEmbeddings,
                           DecoderBlock[] blocks, Norm finalNorm, Linear lmHead, RotaryEmbedding.Pairing pairing) {
        if ((config.rope() == null) != (positionEmbeddings != null)) {
            throw new IllegalArgumentException("a decoder has either RoPE or learned position embeddings, exactly one of them.");
        }
        this.config = config;
        this.architecture = architecture;
        this.embeddings = embeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.blocks = blocks;
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.pairing = pairing;
    }

    public DecoderConfig config() {
        return config;
    }

    @Override public String architecture() { return architecture; }
    @Override public int vocabSize() { return config.vocabSize(); }
    @Override public int[] eosIds() { return config.eosIds().clone(); }
    @Override public int maxPositions() { return config.maxPositions(); }

    @Override
    public DecoderState newState(int slots, int maxLength) {
        if (maxLength > config.maxPositions()) {
            throw new IllegalArgumentException("this model attends over at most " + config.maxPositions()
                    + " positions; a sequence of " + maxLength + " tokens does not fit, lower the prompt length or max new tokens.");
        }
        if (config.slidingWindow() > 0 && maxLength > config.slidingWindow()) {
            throw new IllegalArgumentException("this model attends through a sliding window of " + config.slidingWindow()
                    + " positions, which the Java engine does not implement; keep prompt + max new tokens within "
                    + config.slidingWindow() + " tokens.");
        }
        return new State(slots, maxLength, 64);
    }

    /** Every activation of one forward pass, sized for {@code rows} rows and reused step after step. */
    static final class Scratch {
        final float[] x;          // [rows, hidden]        the residual stream
        final float[] normed;     // [rows, hidden]        norm(x), a sub-layer's input
        final float[] sublayer;   // [rows, hidden]        a sub-layer's output before the residual add
        final float[] wide;       // [rows, intermediate]  the MLP's middle (SwiGLU: silu(gate(x)) ⊙ up(x))
        final float[] wide2;      // [rows, 2·intermediate] SwiGLU's gate(x) and up(x) side by side
        final CausalSelfAttention.Scratch attention;

        Scratch(DecoderConfig c, int rows, int maxLength) {
            x = new float[rows * c.hidden()];
            normed = new float[rows * c.hidden()];
            sublayer = new float[rows * c.hidden()];
            wide = new float[rows * c.intermediate()];
            wide2 = new float[rows * 2 * c.intermediate()];
            attention = new CausalSelfAttention.Scratch(new float[rows * (c.queryWidth() + 2 * c.kvWidth())],
                    new float[rows * c.queryWidth()], new float[maxLength]);
        }
    }

    /** KV caches, the RoPE table and scratch for up to {@code slots} sequences of {@code maxLength} tokens. */
    final class State implements DecoderState {
        private final int maxRows;
        private final KvCache cache;         // [layer][slot, position, kvHeads·headDim]
        private final RotaryEmbedding rope;  // rotations for positions 0 .. maxLength-1; null with learned positions
        private final Scratch s;
        private final float[] lastRows;      // [rows, hidden] final-normed rows that need logits

        State(int slots, int maxLength, int maxRows) {
            this.maxRows = maxRows;
            cache = new KvCache(blocks.length, slots, maxLength, config.kvWidth());
            rope = config.rope() == null ? null : new RotaryEmbedding(config.rope(), config.headDim(), pairing, maxLength);
            s = new Scratch(config, maxRows, maxLength);
            lastRows = new float[maxRows * config.hidden()];
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
        public void forward(int n, int[] slots, int[] positions, int[] tokens, int[] logitRows, int nLogits, float[] logits) {
            int d = config.hidden();
            // token embeddings: row r is the embedding of tokens[r] (plus that of its position, where positions are learned)
            for (int r = 0; r < n; r++) System.arraycopy(embeddings, tokens[r] * d, s.x, r * d, d);
            for (int r = 0; positionEmbeddings != null && r < n; r++) {
                for (int i = 0; i < d; i++) s.x[r * d + i] += positionEmbeddings[positions[r] * d + i];
            }
            for (int l = 0; l < blocks.length; l++) {
                blocks[l].forward(s.x, n, slots, positions, rope, cache, l, s);
            }
            // final norm and LM head, only for the rows whose next token is wanted
            for (int i = 0; i < nLogits; i++) System.arraycopy(s.x, logitRows[i] * d, lastRows, i * d, d);
            finalNorm.forward(lastRows, nLogits, lastRows);
            lmHead.forward(lastRows, nLogits, logits);
        }
    }
}
