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
 * A row attends only to earlier positions of its own sequence (the causal mask). The three projections read the same
 * x, so they run as one product: each row of its output holds {@code [q | k | v]} (one layer as GPT-2 stores it, or
 * three stacked with {@link Linear#stacked}).
 */
final class CausalSelfAttention {

    private final Linear qkv;         // hidden → [q | k | v]
    private final Linear o;
    private final RmsNorm qNorm;      // per-head RMSNorm (over headDim) of queries, or null
    private final RmsNorm kNorm;      // ... and of keys
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    /**
     * @param qkv          q, k and v as one layer, hidden → {@code [q | k | v]} ({@code (heads + 2·kvHeads)·headDim} outputs)
     * @param qNorm, kNorm per-head RMSNorm (over headDim) of queries and keys; null when the family has none
     * @param scale        multiplies the scores: 1/√headDim, or 1 for T5 (which folds it into its initialization)
     */
    CausalSelfAttention(Linear qkv, Linear o, RmsNorm qNorm, RmsNorm kNorm, int heads, int kvHeads, int headDim, float scale) {
        if (qkv.out() != (heads + 2 * kvHeads) * headDim) {
            throw new IllegalArgumentException("q, k and v of " + heads + " + 2·" + kvHeads + " heads of " + headDim
                    + " features need " + (heads + 2 * kvHeads) * headDim + " outputs, got " + qkv.out() + ".");
        }
        this.qkv = qkv;
        this.o = o;
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = scale;
    }

    /** q, k and v as three layers, run as one ({@link Linear#stacked}). */
    CausalSelfAttention(Linear q, Linear k, Linear v, Linear o, RmsNorm qNorm, RmsNorm kNorm,
                        int heads, int kvHeads, int headDim, float scale) {
        this(Linear.stacked(q, k, v), o, qNorm, kNorm, heads, kvHeads, headDim, scale);
    }

    /** Scores scaled by 1/√headDim, as in "Attention Is All You Need". */
    CausalSelfAttention(Linear q, Linear k, Linear v, Linear o, RmsNorm qNorm, RmsNorm kNorm, int heads, int kvHeads, int headDim) {
        this(q, k, v, o, qNorm, kNorm, heads, kvHeads, headDim, standardScale(headDim));
    }

    /** 1/√headDim, the scale of "Attention Is All You Need". */
    static float standardScale(int headDim) {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * Scratch for one forward: {@code qkv [rows, (heads + 2·kvHeads)·headDim]} the projections side by side, the heads'
     * outputs {@code [rows, heads·headDim]}, and the scores of one head.
     */
    record Scratch(float[] qkv, float[] heads, float[] scores) {}

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
        int qWidth = heads * headDim, kvWidth = kvHeads * headDim;
        int stride = qWidth + 2 * kvWidth;                  // row r: q at r·stride, k at +qWidth, v at +qWidth+kvWidth
        float[] p = s.qkv();
        qkv.forward(x, rows, p);
        for (int r = 0; r < rows; r++) {
            int qAt = r * stride, kAt = qAt + qWidth;
            if (qNorm != null) {
                qNorm.forward(p, qAt, heads, p);            // each head is a row of headDim features
                kNorm.forward(p, kAt, kvHeads, p);
            }
            if (rope != null) {
                rope.rotate(p, qAt, heads, positions[r]);
                rope.rotate(p, kAt, kvHeads, positions[r]);
            }
        }
        cache.store(layer, rows, slots, positions, p, qWidth, p, qWidth + kvWidth, stride);
        cache.attend(layer, rows, slots, positions, p, 0, stride, heads, kvHeads, headDim, scale,
                bias == null ? null : bias.values(), bias == null ? null : bias::start, s.scores(), s.heads(), qWidth);
        o.forward(s.heads(), rows, out);
    }
}
