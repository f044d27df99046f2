package dev.streamformer.engine.java;

import dev.streamformer.tensor.Kernels;

/**
 * Multi-head scaled dot-product self-attention.
 *
 * <pre>
 *   Q, K, V = x·Wqᵀ + bq, x·Wkᵀ + bk, x·Wvᵀ + bv          (tokens, hidden) each
 *   per head h (features [h·d_k, (h+1)·d_k)) and sequence:
 *     scores  = Q_h · K_hᵀ / sqrt(d_k)                     (T, T)
 *     weights = softmax(scores) over the keys               (T, T), each row sums to 1
 *     ctx_h   = weights · V_h                               (T, d_k)
 *   heads concatenated: ctx = [ctx_0 … ctx_{H-1}]           (tokens, hidden)
 *   out = ctx·Woᵀ + bo                                      (tokens, hidden)
 * </pre>
 * Padding never shows up: a sequence's queries only see its own {@code T} real keys.
 */
final class SelfAttention {

    private final int hidden;
    private final int heads;
    private final int headDim;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    SelfAttention(int hidden, int heads, Linear query, Linear key, Linear value, Linear output) {
        this.hidden = hidden;
        this.heads = heads;
        this.headDim = hidden / heads;
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
    }

    /** Loads {@code <prefix>.self.{query,key,value}} and {@code <prefix>.output.dense} (BERT's names). */
    static SelfAttention load(WeightSource w, String prefix, EncoderConfig c) {
        int h = c.hidden();
        return new SelfAttention(h, c.heads(),
                Linear.load(w, prefix + ".self.query", h, h),
                Linear.load(w, prefix + ".self.key", h, h),
                Linear.load(w, prefix + ".self.value", h, h),
                Linear.load(w, prefix + ".output.dense", h, h));
    }

    /**
     * {@code out = MultiHead(x)}. When {@code weightsOut} is not null, the attention weights are also copied there
     * as {@code [batch, heads, T, T]} with {@code T} the padded length (rows and columns of padding stay 0).
     */
    void forward(float[] x, PackedBatch batch, EncoderState s, float[] out, float[] weightsOut) {
        int n = batch.tokens();
        query.forward(x, n, s.q);   // (tokens, hidden)
        key.forward(x, n, s.k);
        value.forward(x, n, s.v);

        // the heads are independent: spread them over the cores (work ≈ 2·T² multiply-adds per token and feature)
        Kernels.range(heads, 2L * n * batch.maxLength() * hidden).forEach(h -> {
            for (int b = 0; b < batch.sequences(); b++) attendOneHead(h, b, batch, s, weightsOut);
        });

        output.forward(s.ctx, n, out); // heads are already side by side in ctx: the concatenation is free
    }

    /** One head of one sequence: scores, softmax, weighted sum of values. */
    private void attendOneHead(int h, int b, PackedBatch batch, EncoderState s, float[] weightsOut) {
        int t = batch.length(b);
        int row0 = batch.start(b) * hidden + h * headDim;  // this head's features in the sequence's first row
        float[] scores = s.scores[h];                     // (T, T)
        float[] keysT = s.keysT[h];                       // (d_k, T)

        // K_hᵀ: gather this head's keys into columns, so each score row is one pass over contiguous memory
        for (int j = 0; j < t; j++) {
            for (int d = 0; d < headDim; d++) keysT[d * t + j] = s.k[row0 + j * hidden + d];
        }
        // scores = Q_h · K_hᵀ / sqrt(d_k)
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Kernels.matmulStrided(t, t, headDim, scale, s.q, row0, hidden, keysT, 0, t, scores, 0, t);
        // softmax over the keys of each query
        for (int i = 0; i < t; i++) Kernels.softmaxInPlace(scores, i * t, t);
        if (weightsOut != null) {
            int tp = batch.paddedLength();
            for (int i = 0; i < t; i++) {
                System.arraycopy(scores, i * t, weightsOut, ((b * heads + h) * tp + i) * tp, t);
            }
        }
        // ctx_h = weights · V_h, written straight into this head's columns of ctx
        Kernels.matmulStrided(t, headDim, t, 1f, scores, 0, t, s.v, row0, hidden, s.ctx, row0, hidden);
    }
}
