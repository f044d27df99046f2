package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.RmsNorm;

/**
 * Masked multi-head self-attention with grouped key/value heads, as GPT-2, Llama, Mistral and Qwen compute it:
 * <pre>
 *   q = x·Wqᵀ (+bq)   [rows, heads·headDim]      k = x·Wkᵀ (+bk), v = x·Wvᵀ (+bv)   [rows, kvHeads·headDim]
 *   (Qwen3) q, k ← RMSNorm of each head
 *   q, k ← RoPE(position)                        (not in GPT-2: its positions were added to the embeddings)
 *   cache ← k, v at (slot, position)
 *   head h:  softmax(q_h · K_g[0..pos]ᵀ · scale (+ bias)) · V_g[0..pos]     g = h / (heads / kvHeads)
 *   out = concat(heads) · Woᵀ (+bo)
 * </pre>
 * A row attends only to earlier positions of its own sequence (the causal mask).
 *
 * @param qNorm, kNorm per-head RMSNorm (over headDim) of queries and keys; null when the family has none
 * @param scale        multiplies the scores: 1/√headDim, or 1 for T5 (which folds it into its initialization)
 */
record CausalSelfAttention(Linear q, Linear k, Linear v, Linear o, RmsNorm qNorm, RmsNorm kNorm,
                           int heads, int kvHeads, int headDim, float scale) {

    /** Scores scaled by 1/√headDim, as in "Attention Is All You Need". */
    CausalSelfAttention(Linear q, Linear k, Linear v, Linear o, RmsNorm qNorm, RmsNorm kNorm, int heads, int kvHeads, int headDim) {
        this(q, k, v, o, qNorm, kNorm, heads, kvHeads, headDim, (float) (1.0 / Math.sqrt(headDim)));
    }

    /** Scratch for one forward: queries, keys, values, the heads' outputs, and the scores of one head. */
    record Scratch(float[] q, float[] k, float[] v, float[] heads, float[] scores) {}

    /**
     * Attention output {@code out[rows, hidden]} of {@code x[rows, hidden]}; row {@code r} belongs to sequence
     * {@code slots[r]} at {@code positions[r]}, and its key and value join that sequence's cache in {@code layer}.
     * {@code rope} is null for a model with learned positions.
     */
    void forward(float[] x, int rows, int[] slots, int[] positions, RotaryEmbedding rope, KvCache cache, int layer,
                 Scratch s, float[] out) {
        forward(x, rows, slots, positions, rope, null, cache, layer, s, out);
    }

    /** As above, adding T5's relative position biases to the scores ({@code bias} null: none). */
    void forward(float[] x, int rows, int[] slots, int[] positions, RotaryEmbedding rope, RelativePositionBias.Table bias,
                 KvCache cache, int layer, Scratch s, float[] out) {
        q.forward(x, rows, s.q());
        k.forward(x, rows, s.k());
        v.forward(x, rows, s.v());
        if (qNorm != null) {
            qNorm.forward(s.q(), rows * heads, s.q());     // each head is a row of headDim features
            kNorm.forward(s.k(), rows * kvHeads, s.k());
        }
        for (int r = 0; rope != null && r < rows; r++) {
            rope.rotate(s.q(), r * heads * headDim, heads, positions[r]);
            rope.rotate(s.k(), r * kvHeads * headDim, kvHeads, positions[r]);
        }
        int kvWidth = kvHeads * headDim;
        cache.store(layer, rows, slots, positions, s.k(), 0, s.v(), 0, kvWidth);
        cache.attend(layer, rows, slots, positions, s.q(), 0, heads * headDim, heads, kvHeads, headDim, scale,
                bias == null ? null : bias.values(), bias == null ? null : bias::start, s.scores(), s.heads(), heads * headDim);
        o.forward(s.heads(), rows, out);
    }
}
