package dev.streamformer.engine.onnx;

import java.nio.FloatBuffer;

/**
 * Every slot's keys and values, kept in Java between ONNX Runtime runs so that each run can batch any set of slots.
 *
 * <p>Per slot, layer and part (0 key, 1 value) one array {@code [kvHeads, maxLength, headDim]}: a head's positions are
 * contiguous, so a slot's past goes into a {@code past_key_values} tensor and its new columns come out of a
 * {@code present} tensor with one bulk copy per head.
 */
final class SlotCaches {

    private final int kvHeads, headDim, maxLength;
    private final float[][][][] data;  // [slot][layer][part] → [kvHeads, maxLength, headDim]
    private final int[] lengths;       // [slot] positions held
    private final float[] zeros;       // [maxLength * headDim] to blank padding columns

    SlotCaches(int slots, int layers, int kvHeads, int headDim, int maxLength) {
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.maxLength = maxLength;
        this.data = new float[slots][layers][2][kvHeads * maxLength * headDim];
        this.lengths = new int[slots];
        this.zeros = new float[maxLength * headDim];
    }

    int slots() { return lengths.length; }

    int maxLength() { return maxLength; }

    /** Positions {@code 0 .. length(slot) - 1} of the slot are cached. */
    int length(int slot) { return lengths[slot]; }

    /** Forgets a slot's positions from {@code length} on (0: all of them, for a new sequence). */
    void truncate(int slot, int length) { lengths[slot] = length; }

    /**
     * Writes the slot's first {@code length} positions into batch item {@code b} of {@code past}
     * {@code [batch, kvHeads, width, headDim]}, and zeros into its columns {@code length .. width - 1} (padding, masked
     * out, but zero so that no stale number can reach a sum).
     */
    void copyPast(int slot, int layer, int part, int length, FloatBuffer past, int b, int width) {
        float[] cache = data[slot][layer][part];
        for (int h = 0; h < kvHeads; h++) {
            int to = ((b * kvHeads + h) * width) * headDim;
            past.put(to, cache, h * maxLength * headDim, length * headDim);
            past.put(to + length * headDim, zeros, 0, (width - length) * headDim);
        }
    }

    /**
     * Reads {@code count} columns from {@code column} on of batch item {@code b} of {@code present}
     * {@code [batch, kvHeads, width, headDim]} into the slot's positions {@code start .. start + count - 1}.
     */
    void store(int slot, int layer, int part, FloatBuffer present, int b, int width, int column, int start, int count) {
        float[] cache = data[slot][layer][part];
        for (int h = 0; h < kvHeads; h++) {
            present.get(((b * kvHeads + h) * width + column) * headDim, cache, (h * maxLength + start) * headDim, count * headDim);
        }
    }
}
