package dev.streamformer.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.streamformer.engine.DecoderState;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an Optimum-layout decoder graph for a batch of slots, keeping each slot's KV cache in {@link SlotCaches}.
 *
 * <p>A {@link #forward} call's rows are grouped by slot into segments (consecutive positions of one sequence). Segments of
 * one row (decoding) share one ORT run; a longer segment (a prompt) runs alone, so that no prompt is padded to another's
 * length and the logits tensor {@code [batch, seq, vocab]} stays one prompt chunk long.
 *
 * <p>How sequences with different pasts share a run: with {@code P} the longest past and {@code S} the longest segment of
 * the run, item {@code b} (past {@code p}, {@code s} new tokens) occupies
 * <pre>
 *   past_key_values  [B, kv_heads, P, head_dim]   columns 0 .. p-1 its cache, p .. P-1 padding (zeros)
 *   input_ids        [B, S]                        its tokens, then padding (id 0)
 *   position_ids     [B, S]                        p, p+1, …  (its true positions, padding continues the count)
 *   attention_mask   [B, P + S]                    1 on its p cached and s new columns, 0 on the padding
 * </pre>
 * The graph lets query {@code i} (column {@code P + i}) see the columns {@code j <= P + i} whose mask is 1: exactly the
 * sequence's own past and its new tokens up to {@code i}. The mask's running count also gives the right positions, for
 * graphs that derive them from it. The new keys and values are read back from columns {@code P .. P + s - 1} of
 * {@code present}. ORT writes logits and presents into buffers pinned here, so only the rows asked for are copied.
 */
final class OnnxDecoderState implements DecoderState {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final DecoderSignature names;
    private final int layers, kvHeads, headDim, vocab, maxRows;
    private final SlotCaches caches;
    private final DirectBuffer ids = new DirectBuffer("input_ids"), positions = new DirectBuffer("position_ids"),
            mask = new DirectBuffer("attention_mask"), logits = new DirectBuffer("logits");
    private final DirectBuffer[][] past, present;  // [layer][part]

    /** Rows of one slot in one forward call: tokens at positions {@code start, start + 1, …}, from the call's {@code rows}. */
    private record Segment(int slot, int start, List<Integer> tokens, List<Integer> rows) {}

    OnnxDecoderState(OrtEnvironment env, OrtSession session, DecoderSignature names, DecoderFolder folder, int maxRows,
                     int slots, int maxLength) {
        this.env = env;
        this.session = session;
        this.names = names;
        this.layers = folder.layers();
        this.kvHeads = folder.kvHeads();
        this.headDim = folder.headDim();
        this.vocab = folder.vocab();
        this.maxRows = maxRows;
        this.caches = new SlotCaches(slots, layers, kvHeads, headDim, maxLength);
        this.past = new DirectBuffer[layers][2];
        this.present = new DirectBuffer[layers][2];
        for (int l = 0; l < layers; l++) {
            for (int p = 0; p < 2; p++) {
                past[l][p] = new DirectBuffer(names.pastNames()[l][p]);
                present[l][p] = new DirectBuffer(names.presentNames()[l][p]);
            }
        }
    }

    @Override
    public int[] start(int slot, int[] promptIds) {
        caches.truncate(slot, 0);
        return promptIds.clone();
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    @Override
    public void forward(int n, int[] slots, int[] positions, int[] tokens, int[] logitRows, int nLogits, float[] out) {
        int[] logitIndex = new int[n];  // [row] where its logits go in out, or -1
        Arrays.fill(logitIndex, -1);
        for (int k = 0; k < nLogits; k++) logitIndex[logitRows[k]] = k;
        List<Segment> decoding = new ArrayList<>();
        for (Segment s : segments(n, slots, positions, tokens)) {
            if (s.tokens().size() == 1) decoding.add(s);
            else run(List.of(s), logitIndex, out);
        }
        if (!decoding.isEmpty()) run(decoding, logitIndex, out);
    }

    /** Groups rows by slot, in order; a slot's rows must continue its cache (or rewrite it from an earlier position). */
    private List<Segment> segments(int n, int[] slots, int[] positions, int[] tokens) {
        if (n > maxRows) throw new IllegalArgumentException(n + " rows exceed the " + maxRows + " one forward takes; split them.");
        Map<Integer, Segment> bySlot = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            int slot = slots[r], pos = positions[r];
            if (slot < 0 || slot >= caches.slots()) {
                throw new IllegalArgumentException("slot " + slot + " is outside this state's " + caches.slots() + " slots.");
            }
            if (pos >= caches.maxLength()) {
                throw new IllegalArgumentException("position " + pos + " of slot " + slot + " is beyond the " + caches.maxLength()
                        + " positions this state was made for; make the state with a larger maxLength.");
            }
            Segment s = bySlot.computeIfAbsent(slot, k -> new Segment(k, pos, new ArrayList<>(), new ArrayList<>()));
            int expected = s.start() + s.tokens().size();
            if (pos != expected || s.start() > caches.length(slot)) {
                throw new IllegalArgumentException("slot " + slot + " got position " + pos + " where its cache holds "
                        + caches.length(slot) + " positions: feed each sequence's positions in order, without gaps.");
            }
            s.tokens().add(tokens[r]);
            s.rows().add(r);
        }
        return List.copyOf(bySlot.values());
    }

    /** One ORT run over {@code batch} (see the class comment for the padding), then caches and logits copied out. */
    private void run(List<Segment> batch, int[] logitIndex, float[] out) {
        int b = batch.size(), s = 0, p = 0;
        for (Segment seg : batch) {
            s = Math.max(s, seg.tokens().size());
            p = Math.max(p, seg.start());
        }
        LongBuffer idsIn = ids.longs((long) b * s), positionsIn = positions.longs((long) b * s);
        LongBuffer maskIn = mask.longs((long) b * (p + s));
        for (int i = 0; i < b; i++) {
            Segment seg = batch.get(i);
            for (int t = 0; t < s; t++) {
                boolean real = t < seg.tokens().size();
                idsIn.put(i * s + t, real ? seg.tokens().get(t) : 0);
                positionsIn.put(i * s + t, seg.start() + t);
                maskIn.put(i * (p + s) + p + t, real ? 1 : 0);
            }
            for (int c = 0; c < p; c++) maskIn.put(i * (p + s) + c, c < seg.start() ? 1 : 0);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>(), outputs = new HashMap<>();
        try {
            inputs.put(DecoderSignature.INPUT_IDS, OnnxTensor.createTensor(env, idsIn, new long[] {b, s}));
            inputs.put(DecoderSignature.ATTENTION_MASK, OnnxTensor.createTensor(env, maskIn, new long[] {b, p + s}));
            if (names.positionIds()) {
                inputs.put(DecoderSignature.POSITION_IDS, OnnxTensor.createTensor(env, positionsIn, new long[] {b, s}));
            }
            FloatBuffer logitsOut = logits.floats((long) b * s * vocab);
            outputs.put(DecoderSignature.LOGITS, OnnxTensor.createTensor(env, logitsOut, new long[] {b, s, vocab}));
            FloatBuffer[][] presentOut = new FloatBuffer[layers][2];
            for (int l = 0; l < layers; l++) {
                for (int part = 0; part < 2; part++) {
                    FloatBuffer pastIn = past[l][part].floats((long) b * kvHeads * p * headDim);
                    for (int i = 0; i < b; i++) caches.copyPast(batch.get(i).slot(), l, part, batch.get(i).start(), pastIn, i, p);
                    inputs.put(names.pastNames()[l][part], OnnxTensor.createTensor(env, pastIn, new long[] {b, kvHeads, p, headDim}));
                    presentOut[l][part] = present[l][part].floats((long) b * kvHeads * (p + s) * headDim);
                    outputs.put(names.presentNames()[l][part],
                            OnnxTensor.createTensor(env, presentOut[l][part], new long[] {b, kvHeads, p + s, headDim}));
                }
            }
            session.run(inputs, outputs).close();
            for (int i = 0; i < b; i++) {
                Segment seg = batch.get(i);
                int count = seg.tokens().size();
                for (int l = 0; l < layers; l++) {
                    for (int part = 0; part < 2; part++) {
                        caches.store(seg.slot(), l, part, presentOut[l][part], i, p + s, p, seg.start(), count);
                    }
                }
                caches.truncate(seg.slot(), seg.start() + count);
                for (int t = 0; t < count; t++) {
                    int k = logitIndex[seg.rows().get(t)];
                    if (k >= 0) logitsOut.get((i * s + t) * vocab, out, k * vocab, vocab);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a decoder step of " + b + " sequences x " + s + " tokens after "
                    + p + " cached positions: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
        }
    }
}
