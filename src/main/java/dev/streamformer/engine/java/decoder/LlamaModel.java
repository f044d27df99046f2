package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.DecoderState;

import dev.streamformer.tensor.Kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Llama as llama2.c's {@code run.c} computes it: token embeddings (no position embeddings), per block
 * RMSNorm → attention with rotary positions (RoPE) and grouped-query attention (fewer key/value heads than
 * query heads) → residual, RMSNorm → SwiGLU feed-forward → residual; final RMSNorm; classifier tied to the
 * token embeddings when the checkpoint says so.
 */
public final class LlamaModel implements LanguageModel {

    /** One block (llama2.c stores every matrix {@code [out, in]}, as {@link Linear} wants). */
    record Block(float[] rmsAtt,               // [dim]
                 Linear wq, Linear wk, Linear wv, // dim → dim, dim → kvDim, dim → kvDim
                 Linear wo,                    // dim → dim
                 float[] rmsFfn,               // [dim]
                 Linear w1, Linear w2, Linear w3) {} // dim → hidden, hidden → dim, dim → hidden

    static final float RMS_EPS = 1e-5f;

    final int dim, hidden, heads, kvHeads, headDim, kvDim, vocab, seqLen;
    final float[] tokenEmbedding; // [vocab, dim]
    final Block[] blocks;
    final float[] rmsFinal;       // [dim]
    final float[] freqCos, freqSin; // [seqLen, headDim/2] RoPE rotations stored in the checkpoint
    final Linear classifier;      // dim → vocab; its weight is the token embeddings when shared

    private LlamaModel(int dim, int hidden, int heads, int kvHeads, int vocab, int seqLen, float[] tokenEmbedding,
                       Block[] blocks, float[] rmsFinal, float[] freqCos, float[] freqSin, float[] classifier) {
        this.dim = dim;
        this.hidden = hidden;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = dim / heads;
        this.kvDim = dim * kvHeads / heads;
        this.vocab = vocab;
        this.seqLen = seqLen;
        this.tokenEmbedding = tokenEmbedding;
        this.blocks = blocks;
        this.rmsFinal = rmsFinal;
        this.freqCos = freqCos;
        this.freqSin = freqSin;
        this.classifier = new Linear(classifier, null, dim, vocab);
    }

    /**
     * Reads a llama2.c legacy (version 0) checkpoint: seven little-endian int32 (dim, hidden_dim, n_layers,
     * n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means an unshared classifier follows),
     * then fp32 weights in run.c's order. The file size is checked against the header before any allocation.
     */
    public static LlamaModel load(Path checkpoint) {
        try (Arena arena = Arena.ofConfined();
             FileChannel ch = FileChannel.open(checkpoint, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 28) {
                throw new IllegalArgumentException(checkpoint + " is " + size + " bytes, too short for a llama2.c checkpoint header.");
            }
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            var i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int dim = file.get(i32, 0), hidden = file.get(i32, 4), layers = file.get(i32, 8), heads = file.get(i32, 12);
            int kvHeads = file.get(i32, 16), vocabSigned = file.get(i32, 20), seqLen = file.get(i32, 24);
            boolean shared = vocabSigned > 0;
            int vocab = Math.abs(vocabSigned);
            if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0
                    || dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
                throw new IllegalArgumentException(checkpoint + " has an invalid llama2.c header (dim=" + dim + ", hidden_dim="
                        + hidden + ", n_layers=" + layers + ", n_heads=" + heads + ", n_kv_heads=" + kvHeads
                        + ", vocab_size=" + vocabSigned + ", seq_len=" + seqLen + "); it is not a llama2.c checkpoint.");
            }
            int headDim = dim / heads;
            long kvDim = (long) dim * kvHeads / heads;
            long perLayer = 2L * dim + (long) dim * dim * 2 + 2 * kvDim * dim + 3L * hidden * dim;
            long floats = (long) vocab * dim + layers * perLayer + dim + (long) seqLen * headDim
                    + (shared ? 0 : (long) vocab * dim);
            if (28 + 4 * floats != size) {
                throw new IllegalArgumentException(checkpoint + " has " + size + " bytes but its header implies "
                        + (28 + 4 * floats) + "; the file is truncated or not a llama2.c version-0 checkpoint.");
            }
            FloatReader in = new FloatReader(file, 28);
            float[] emb = in.next((long) vocab * dim);
            float[][] rmsAtt = in.perLayer(layers, dim);
            float[][] wq = in.perLayer(layers, (long) dim * dim);
            float[][] wk = in.perLayer(layers, kvDim * dim);
            float[][] wv = in.perLayer(layers, kvDim * dim);
            float[][] wo = in.perLayer(layers, (long) dim * dim);
            float[][] rmsFfn = in.perLayer(layers, dim);
            float[][] w1 = in.perLayer(layers, (long) hidden * dim);
            float[][] w2 = in.perLayer(layers, (long) dim * hidden);
            float[][] w3 = in.perLayer(layers, (long) hidden * dim);
            float[] rmsFinal = in.next(dim);
            float[] freqCos = in.next((long) seqLen * headDim / 2);
            float[] freqSin = in.next((long) seqLen * headDim / 2);
            float[] classifier = shared ? emb : in.next((long) vocab * dim);
            Block[] blocks = new Block[layers];
            for (int l = 0; l < layers; l++) {
                int kv = (int) kvDim;
                blocks[l] = new Block(rmsAtt[l], new Linear(wq[l], null, dim, dim), new Linear(wk[l], null, dim, kv),
                        new Linear(wv[l], null, dim, kv), new Linear(wo[l], null, dim, dim), rmsFfn[l],
                        new Linear(w1[l], null, dim, hidden), new Linear(w2[l], null, hidden, dim), new Linear(w3[l], null, dim, hidden));
            }
            return new LlamaModel(dim, hidden, heads, kvHeads, vocab, seqLen, emb, blocks, rmsFinal, freqCos, freqSin, classifier);
        } catch (IOException e) {
            throw new UncheckedIOException(checkpoint + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads consecutive little-endian fp32 arrays from a mapped file. */
    private static final class FloatReader {
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private final MemorySegment file;
        private long offset;

        FloatReader(MemorySegment file, long offset) {
            this.file = file;
            this.offset = offset;
        }

        float[] next(long count) {
            float[] out = new float[Math.toIntExact(count)];
            MemorySegment.copy(file, F32, offset, out, 0, out.length);
            offset += 4 * count;
            return out;
        }

        float[][] perLayer(int layers, long count) {
            float[][] out = new float[layers][];
            for (int l = 0; l < layers; l++) out[l] = next(count);
            return out;
        }
    }

    @Override public String architecture() { return "llama"; }
    @Override public int vocabSize() { return vocab; }
    /** llama2.c uses BOS = 1 to start and to end a story. */
    @Override public int[] eosIds() { return new int[] {1}; }
    @Override public int maxPositions() { return seqLen; }

    @Override
    public DecoderState newState(int slots, int maxLength) {
        if (maxLength > seqLen) {
            throw new IllegalArgumentException("this checkpoint was trained for " + seqLen + " positions; a sequence of "
                    + maxLength + " tokens does not fit, lower the prompt length or max new tokens.");
        }
        return new State(slots, maxLength, 64);
    }

    /** KV caches and scratch buffers, as run.c's RunState. */
    final class State implements DecoderState {
        final int maxLength, maxRows;
        final KvCache cache;                  // [layer][slot, position, kvDim]
        final float[] x, xb, q, k, v, attnOut, proj, hb, hb2, scores, lastRows;

        State(int slots, int maxLength, int maxRows) {
            this.maxLength = maxLength;
            this.maxRows = maxRows;
            cache = new KvCache(blocks.length, slots, maxLength, kvDim);
            x = new float[maxRows * dim];        // the residual stream
            xb = new float[maxRows * dim];       // normalised sublayer input
            q = new float[maxRows * dim];
            k = new float[maxRows * kvDim];
            v = new float[maxRows * kvDim];
            attnOut = new float[maxRows * dim];
            proj = new float[maxRows * dim];
            hb = new float[maxRows * hidden];
            hb2 = new float[maxRows * hidden];
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
            final float scale = (float) (1.0 / Math.sqrt(headDim));
            // copy the token embedding into x
            for (int r = 0; r < n; r++) System.arraycopy(tokenEmbedding, tokens[r] * dim, x, r * dim, dim);
            for (int l = 0; l < blocks.length; l++) {
                Block b = blocks[l];
                // attention rmsnorm
                Kernels.rmsNorm(x, n, dim, b.rmsAtt(), RMS_EPS, xb);
                // qkv matmuls
                b.wq().apply(xb, n, q);
                b.wk().apply(xb, n, k);
                b.wv().apply(xb, n, v);
                // RoPE: rotate each adjacent pair (i, i+1) of every q and k head by pos · θ_i
                for (int r = 0; r < n; r++) {
                    rope(q, r * dim, dim, pos[r]);
                    rope(k, r * kvDim, kvDim, pos[r]);
                }
                // save key and value to the kv cache
                cache.store(l, n, slots, pos, k, 0, v, 0, kvDim);
                // multihead attention over positions 0..pos; query head h shares key/value head h / (heads / kvHeads) (GQA)
                cache.attend(l, n, slots, pos, q, 0, dim, heads, kvHeads, headDim, scale, null, null, scores, attnOut, dim);
                // output projection, then residual connection
                b.wo().apply(attnOut, n, proj);
                Kernels.addInPlace(x, proj, n * dim);
                // ffn rmsnorm
                Kernels.rmsNorm(x, n, dim, b.rmsFfn(), RMS_EPS, xb);
                // SwiGLU: w2 · (silu(w1 · x) * (w3 · x))
                b.w1().apply(xb, n, hb);
                b.w3().apply(xb, n, hb2);
                Kernels.silu(hb, n * hidden);
                for (int i = 0; i < n * hidden; i++) hb[i] *= hb2[i];
                b.w2().apply(hb, n, proj);
                // residual connection
                Kernels.addInPlace(x, proj, n * dim);
            }
            // final rmsnorm of the rows that need a prediction
            for (int i = 0; i < nLogits; i++) System.arraycopy(x, logitRows[i] * dim, lastRows, i * dim, dim);
            Kernels.rmsNorm(lastRows, nLogits, dim, rmsFinal, RMS_EPS, xb);
            // classifier into logits
            classifier.apply(xb, nLogits, logits);
        }

        /** Rotates pairs {@code (v[i], v[i+1])} of each head in {@code v[off, off+width)} by the stored angles of {@code pos}. */
        private void rope(float[] vec, int off, int width, int pos) {
            int half = headDim / 2;
            for (int i = 0; i < width; i += 2) {
                int f = pos * half + (i % headDim) / 2;
                float cos = freqCos[f], sin = freqSin[f];
                float a = vec[off + i], c = vec[off + i + 1];
                vec[off + i] = a * cos - c * sin;
                vec[off + i + 1] = a * sin + c * cos;
            }
        }
    }
}
