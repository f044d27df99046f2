package dev.streamformer.engine.java;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.java.layers.Sequences;

/**
 * A padded {@link TokenBatch}, seen as its real tokens only: sequence {@code b}'s
 * tokens are rows {@code [start(b), start(b) + length(b))} of every {@code [tokens, features]} activation. Padding
 * never enters a matrix product, and attention never looks past a sequence's length: that is the padding mask.
 *
 * <p>A sequence's real tokens are those whose attention mask is 1; they must come first (right padding).
 */
final class PackedBatch {

    private final TokenBatch batch;
    private final Sequences layout;
    private final int tokens;
    private final int maxLength;

    private PackedBatch(TokenBatch batch) {
        this.batch = batch;
        int count = batch.batchSize();
        int[] starts = new int[count];
        int[] lengths = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            starts[i] = n;
            lengths[i] = realLength(batch, i);
            n += lengths[i];
        }
        this.layout = new Sequences(starts, lengths, batch.seqLen());
        this.tokens = n;
        this.maxLength = layout.maxLength();
    }

    /** The whole batch. */
    static PackedBatch of(TokenBatch batch) {
        return new PackedBatch(batch);
    }

    private static int realLength(TokenBatch batch, int row) {
        int t = batch.seqLen();
        long[] mask = batch.attentionMask();
        int len = 0;
        while (len < t && mask[row * t + len] != 0) len++;
        for (int j = len; j < t; j++) {
            if (mask[row * t + j] != 0) {
                throw new IllegalArgumentException("row " + row + " of the batch has padding before real tokens; "
                        + "the java engine needs right-padded batches");
            }
        }
        return len;
    }

    /** Which packed rows are which sequence's, as attention reads it. */
    Sequences layout() { return layout; }

    int sequences() { return layout.count(); }

    /** Padded length of each row in the original batch. */
    int paddedLength() { return batch.seqLen(); }

    int start(int b) { return layout.start(b); }

    int length(int b) { return layout.length(b); }

    /** Real tokens: the row count of every activation. */
    int tokens() { return tokens; }

    int maxLength() { return maxLength; }

    int tokenId(int b, int j) { return (int) batch.inputIds()[b * batch.seqLen() + j]; }

    int tokenType(int b, int j) { return (int) batch.tokenTypeIds()[b * batch.seqLen() + j]; }
}
