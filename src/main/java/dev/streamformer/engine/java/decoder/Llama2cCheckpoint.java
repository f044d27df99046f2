package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.GatedFeedForward;
import dev.streamformer.engine.java.layers.Linear;
import dev.streamformer.engine.java.layers.RmsNorm;

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
 * Reads a llama2.c checkpoint ({@code run.c}'s legacy version-0 {@code .bin}) into the same
 * {@link DecoderOnlyTransformer} that Hugging Face Llama folders load into. llama2.c rotates neighbouring features
 * with RoPE ({@link RotaryEmbedding.Pairing#NEIGHBOURS}), uses RMSNorm eps 1e-5 and θ = 10000, and ends a story
 * with BOS (id 1).
 */
public final class Llama2cCheckpoint {

    private Llama2cCheckpoint() {}

    static final float RMS_EPS = 1e-5f;

    /**
     * Reads a llama2.c legacy (version 0) checkpoint: seven little-endian int32 (dim, hidden_dim, n_layers,
     * n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means an unshared classifier follows),
     * then fp32 weights in run.c's order. The file size is checked against the header before any allocation.
     */
    public static DecoderOnlyTransformer load(Path checkpoint) {
        return load(checkpoint, Quantization.NONE);
    }

    /** Loads the checkpoint, storing every weight matrix (the classifier included) as {@code q} says. */
    public static DecoderOnlyTransformer load(Path checkpoint, Quantization q) {
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
            in.skip((long) seqLen * headDim);   // freq_cis_real and _imag: the RoPE table, which RotaryEmbedding recomputes
            float[] classifier = shared ? emb : in.next((long) vocab * dim);
            int kv = (int) kvDim;
            DecoderConfig config = new DecoderConfig("llama", vocab, dim, layers, heads, kvHeads, headDim, hidden, seqLen,
                    RMS_EPS, new RotaryEmbedding.Frequencies(RotaryEmbedding.Frequencies.base(10000.0, headDim)),
                    false, false, 0, shared, new int[] {1});
            DecoderBlock[] blocks = new DecoderBlock[layers];
            for (int l = 0; l < layers; l++) {
                CausalSelfAttention attention = new CausalSelfAttention(q.apply(new Linear(wq[l], null, dim, dim)),
                        q.apply(new Linear(wk[l], null, dim, kv)), q.apply(new Linear(wv[l], null, dim, kv)), q.apply(new Linear(wo[l], null, dim, dim)),
                        null, null, heads, kvHeads, headDim);
                GatedFeedForward mlp = new GatedFeedForward(q.apply(new Linear(w1[l], null, dim, hidden)),
                        q.apply(new Linear(w3[l], null, dim, hidden)), q.apply(new Linear(w2[l], null, hidden, dim)));
                blocks[l] = new DecoderBlock(new RmsNorm(rmsAtt[l], RMS_EPS), attention, new RmsNorm(rmsFfn[l], RMS_EPS), mlp);
            }
            return new DecoderOnlyTransformer(config, "llama2.c", emb, null, blocks, new RmsNorm(rmsFinal, RMS_EPS),
                    q.apply(new Linear(classifier, null, dim, vocab)), RotaryEmbedding.Pairing.NEIGHBOURS);
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

        void skip(long count) {
            offset += 4 * count;
        }

        float[][] perLayer(int layers, long count) {
            float[][] out = new float[layers][];
            for (int l = 0; l < layers; l++) out[l] = next(count);
            return out;
        }
    }
}
