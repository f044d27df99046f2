package dev.streamformer.engine.java.layers;

/**
 * Which rows of a packed activation {@code [tokens, features]} belong to which sequence: sequence {@code b} is rows
 * {@code [start(b), start(b) + length(b))}. Sequences of a batch travel one after another without padding; attention
 * reads this to keep each query to its own sequence's keys, which is what a padding mask does.
 *
 * @param paddedLength the length every sequence had in the padded batch (for outputs laid out {@code [batch, T, …]})
 */
public record Sequences(int[] starts, int[] lengths, int paddedLength) {

    /** One sequence of {@code n} rows. */
    public static Sequences one(int n) {
        return new Sequences(new int[] {0}, new int[] {n}, n);
    }

    public int count() { return starts.length; }

    public int start(int b) { return starts[b]; }

    public int length(int b) { return lengths[b]; }

    /** Rows of every sequence together. */
    public int tokens() {
        int n = 0;
        for (int len : lengths) n += len;
        return n;
    }

    public int maxLength() {
        int max = 0;
        for (int len : lengths) max = Math.max(max, len);
        return max;
    }
}
