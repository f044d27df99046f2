package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;
import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;

/**
 * A decoder-only Transformer of the Llama lineage (Llama 2/3, Mistral, Qwen2/2.5/3, SmolLM, TinyLlama, and
 * llama2.c's checkpoints):
 * <pre>
 *   x = embed(tokens)                                   [rows, hidden]   no position embedding: RoPE rotates q, k
 *   for each block:  x = x + attention(RMSNorm(x));  x = x + SwiGLU(RMSNorm(x))
 *   logits = RMSNorm(x) · Eᵀ                            [rows, vocab]    E: lm_head, or the embeddings when tied
 * </pre>
 * Weights are read-only after load, so one instance serves every thread; each generation gets its own {@link State}.
 */
public final class DecoderOnlyTransformer implements LanguageModel {

    private final DecoderConfig config;
    private final String architecture;
    private final float[] embeddings;            // [vocab, hidden]
    private final DecoderBlock[] blocks;
    private final RmsNorm finalNorm;
    private final Linear lmHead;                 // hidden → vocab
    private final RotaryEmbedding.Pairing pairing;

    DecoderOnlyTransformer(DecoderConfig config, String architecture, float[] embeddings, DecoderBlock[] blocks,
                           RmsNorm finalNorm, Linear lmHead, RotaryEmbedding.Pairing pairing) {
        this.config = config;
        this.architecture = architecture;
        this.embeddings = embeddings;
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
        final float[] normed;     // [rows, hidden]        RMSNorm(x), a sub-layer's input
        final float[] sublayer;   // [rows, hidden]        a sub-layer's output before the residual add
        final float[] gated;      // [rows, intermediate]  silu(gate(x)), then ⊙ up(x)
        final float[] upped;      // [rows, intermediate]  up(x)
        final CausalSelfAttention.Scratch attention;

        Scratch(DecoderConfig c, int rows, int maxLength) {
            x = new float[rows * c.hidden()];
            normed = new float[rows * c.hidden()];
            sublayer = new float[rows * c.hidden()];
            gated = new float[rows * c.intermediate()];
            upped = new float[rows * c.intermediate()];
            attention = new CausalSelfAttention.Scratch(new float[rows * c.queryWidth()], new float[rows * c.kvWidth()],
                    new float[rows * c.kvWidth()], new float[rows * c.queryWidth()], new float[maxLength]);
        }
    }

    /** KV caches, the RoPE table and scratch for up to {@code slots} sequences of {@code maxLength} tokens. */
    final class State implements DecoderState {
        private final int maxRows;
        private final KvCache cache;         // [layer][slot, position, kvHeads·headDim]
        private final RotaryEmbedding rope;  // rotations for positions 0 .. maxLength-1
        private final Scratch s;
        private final float[] lastRows;      // [rows, hidden] final-normed rows that need logits

        State(int slots, int maxLength, int maxRows) {
            this.maxRows = maxRows;
            cache = new KvCache(blocks.length, slots, maxLength, config.kvWidth());
            rope = new RotaryEmbedding(config.rope(), config.headDim(), pairing, maxLength);
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
            // token embeddings: row r is the embedding of tokens[r]
            for (int r = 0; r < n; r++) System.arraycopy(embeddings, tokens[r] * d, s.x, r * d, d);
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
