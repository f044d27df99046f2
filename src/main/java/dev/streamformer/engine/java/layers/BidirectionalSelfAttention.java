package dev.streamformer.engine.java.layers;

import dev.streamformer.tensor.Kernels;

import java.util.function.IntBinaryOperator;

/**
 * Multi-head self-attention without a causal mask, as an encoder reads its input (BERT, RoBERTa, XLM-R, T5's
 * encoder): every token sees every token of its own sequence, before and after it.
 * <pre>
 *   Q, K, V = x·Wqᵀ (+bq), x·Wkᵀ (+bk), x·Wvᵀ (+bv)      [tokens, heads·d_k] each,
 *             computed as one product x·[Wq; Wk; Wv]ᵀ      [tokens, 3·heads·d_k]: row i is q_i, k_i, v_i side by side
 *   per head h (features [h·d_k, (h+1)·d_k)) and sequence of T tokens:
 *     scores  = Q_h · K_hᵀ · scale (+ bias)             (T, T)   scale 1/√d_k; T5: 1, plus its relative position bias
 *     weights = softmax(scores) over the keys            (T, T), each row sums to 1
 *     ctx_h   = weights · V_h                            (T, d_k)
 *   heads side by side: ctx = [ctx_0 … ctx_{H-1}]       [tokens, heads·d_k]   (the concatenation is free)
 *   out = ctx·Woᵀ (+bo)                                 [tokens, hidden]
 * </pre>
 * The sequences of a batch come packed ({@link Sequences}): a query sees only its own sequence's keys, so padding,
 * never stored, never enters (the padding mask).
 *
 * @param qkv   the query, key and value projections stacked ({@link Linear#stacked}): one product reads x once and
 *              spreads over the cores once, where three would each pay that (a short text at batch 1 is 16 rows)
 * @param scale multiplies the scores: 1/√d_k, or 1 for T5 (which folds it into its initialization)
 */
public record BidirectionalSelfAttention(Linear qkv, Linear o, int heads, int headDim, float scale) {

    /** From the three projections, each {@code [heads·d_k, hidden]}. */
    public BidirectionalSelfAttention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim, float scale) {
        this(Linear.stacked(q, k, v), o, heads, headDim, scale);
    }

    /** Scores scaled by 1/√d_k, as in "Attention Is All You Need"; d_k = width / heads. */
    public BidirectionalSelfAttention(Linear q, Linear k, Linear v, Linear o, int heads) {
        this(q, k, v, o, heads, q.out() / heads, (float) (1.0 / Math.sqrt(q.out() / heads)));
    }

    /**
     * Scratch memory, sized for the largest batch seen so far and reused: queries, keys, values and the heads'
     * outputs, and per head (the heads run in parallel) its scores and transposed keys. One per calling thread.
     */
    public static final class Scratch {
        private final int heads, width;
        private int tokenCapacity = -1, lengthCapacity = -1;
        float[] qkv;           // [tokens, 3·heads·d_k]  q, k, v of a token side by side
        float[] ctx;           // [tokens, heads·d_k]
        float[][] scores;      // [heads] (T, T)    scores, then weights
        float[][] keysT;       // [heads] (d_k, T)  one head's keys, transposed

        public Scratch(int heads, int headDim) {
            this.heads = heads;
            this.width = heads * headDim;
        }

        void ensure(int tokens, int maxLength) {
            if (tokens > tokenCapacity) {
                tokenCapacity = Math.max(tokens, 64);
                qkv = new float[tokenCapacity * 3 * width];
                ctx = new float[tokenCapacity * width];
            }
            if (maxLength > lengthCapacity) {
                lengthCapacity = Math.max(maxLength, 16);
                scores = new float[heads][lengthCapacity * lengthCapacity];
                keysT = new float[heads][width / heads * lengthCapacity];
            }
        }
    }

    /** {@code out [tokens, hidden]} from {@code x [tokens, hidden]}, no bias on the scores. */
    public void forward(float[] x, Sequences seqs, Scratch s, float[] out) {
        forward(x, seqs, null, null, s, out, null);
    }

    /**
     * {@code out [tokens, hidden]} from {@code x [tokens, hidden]}.
     *
     * @param bias       null, or an additive bias on the scores: head {@code h}'s query at position {@code i} adds
     *                   {@code bias[biasStart.applyAsInt(h, i) + j]} to its score of key {@code j} (T5's relative
     *                   position buckets)
     * @param weightsOut null, or {@code [sequences, heads, T, T]} ({@code T = seqs.paddedLength()}) to receive the
     *                   attention weights; rows and columns past a sequence's length are left alone
     */
    public void forward(float[] x, Sequences seqs, float[] bias, IntBinaryOperator biasStart, Scratch s, float[] out,
                        float[] weightsOut) {
        int n = seqs.tokens();
        int maxLength = seqs.maxLength();
        s.ensure(n, maxLength);
        qkv.forward(x, n, s.qkv);
        // the heads are independent: spread them over the cores (work ≈ 2·T² multiply-adds per token and feature)
        Kernels.parallelFor(heads, 2L * n * maxLength * heads * headDim, h -> {
            for (int b = 0; b < seqs.count(); b++) attendOneHead(h, b, seqs, bias, biasStart, s, weightsOut);
        });
        o.forward(s.ctx, n, out);
    }

    /** One head of one sequence: scores, softmax, weighted sum of values. */
    private void attendOneHead(int h, int b, Sequences seqs, float[] bias, IntBinaryOperator biasStart, Scratch s,
                               float[] weightsOut) {
        int t = seqs.length(b);
        int width = heads * headDim;
        int stride = 3 * width;                             // one token's q, k, v
        int q0 = seqs.start(b) * stride + h * headDim;      // this head's query features in the sequence's first row
        int k0 = q0 + width, v0 = q0 + 2 * width;           // its key and value features
        int ctx0 = seqs.start(b) * width + h * headDim;
        float[] scores = s.scores[h];                       // (T, T)
        float[] keysT = s.keysT[h];                         // (d_k, T)

        // K_hᵀ: gather this head's keys into columns, so each score row is one pass over contiguous memory
        for (int j = 0; j < t; j++) {
            for (int d = 0; d < headDim; d++) keysT[d * t + j] = s.qkv[k0 + j * stride + d];
        }
        // scores = Q_h · K_hᵀ · scale (+ bias)
        Kernels.matmulStrided(t, t, headDim, scale, s.qkv, q0, stride, keysT, 0, t, scores, 0, t);
        for (int i = 0; bias != null && i < t; i++) {
            int from = biasStart.applyAsInt(h, i);
            for (int j = 0; j < t; j++) scores[i * t + j] += bias[from + j];
        }
        // softmax over the keys of each query
        for (int i = 0; i < t; i++) Kernels.softmaxInPlace(scores, i * t, t);
        if (weightsOut != null) {
            int tp = seqs.paddedLength();
            for (int i = 0; i < t; i++) System.arraycopy(scores, i * t, weightsOut, ((b * heads + h) * tp + i) * tp, t);
        }
        // ctx_h = weights · V_h, written straight into this head's columns of ctx
        Kernels.matmulStrided(t, headDim, t, 1f, scores, 0, t, s.qkv, v0, stride, s.ctx, ctx0, width);
    }
}
