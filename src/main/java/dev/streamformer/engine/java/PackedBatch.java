package dev.streamformer.engine.java;

import dev.streamformer.engine.TokenBatch;

/**
 * A padded {@link TokenBatch} seen as its real tokens only: sequence {@code b}'s tokens are rows
 * {@code [start(b), start(b) + length(b))} of every {@code [tokens, features]} activation. Padding never
 * enters a matrix product, and attention never looks past a sequence's length: that is the padding mask.
 *
 * <p>A sequence's real tokens are those whose attention mask is 1; they must come first (right padding).
 */
final class PackedBatch {

    private final TokenBatch batch;
    private final int[] starts;
    private final int[] lengths;
    private final int tokens;
    private final int maxLength;

    PackedBatch(TokenBatch batch) {
        this.batch = batch;
        int b = batch.batchSize();
        int t = batch.seqLen();
        starts = new int[b];
        lengths = new int[b];
        int n = 0;
        int max = 0;
        for (int i = 0; i < b; i++) {
            int len = 0;
            while (len < t && batch.attentionMask()[i * t + len] != 0) len++;
            for (int j = len; j < t; j++) {
                if (batch.attentionMask()[i * t + j] != 0) {
                    throw new IllegalArgumentException("row " + i + " of the batch has padding before real tokens; "
                            + "the java engine needs right-padded batches");
                }
            }
            starts[i] = n;
            lengths[i] = len;
            n += len;
            max = Math.max(max, len);
        }
        this.tokens = n;
        this.maxLength = max;
    }

    int sequences() { return starts.length; }

    /** Padded length of each row in the original batch. */
    int paddedLength() { return batch.seqLen(); }

    int start(int b) { return starts[b]; }

    int length(int b) { return lengths[b]; }

    /** Real tokens in the whole batch: the row count of every activation. */
    int tokens() { return tokens; }

    int maxLength() { return maxLength; }

    int tokenId(int b, int j) { return (int) batch.inputIds()[b * batch.seqLen() + j]; }

    int tokenType(int b, int j) { return (int) batch.tokenTypeIds()[b * batch.seqLen() + j]; }
}
