package dev.streamformer.engine;

/**
 * A padded batch of token sequences, row-major {@code [batch, seqLen]}.
 *
 * @param inputIds      token ids, padding positions hold the pad id
 * @param attentionMask 1 for a real token, 0 for padding
 * @param tokenTypeIds  segment ids (0 for the first text, 1 for the second of a pair); all 0 when unused
 */
public record TokenBatch(int batchSize, int seqLen, long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {

    public TokenBatch {
        int n = batchSize * seqLen;
        if (inputIds.length != n || attentionMask.length != n || tokenTypeIds.length != n) {
            throw new IllegalArgumentException("a batch of " + batchSize + " x " + seqLen
                    + " needs " + n + " ids, mask values and type ids");
        }
    }

    /** Pads the given sequences on the right to the longest one. */
    public static TokenBatch pad(int[][] ids, int[][] typeIds, int padId) {
        int b = ids.length;
        int t = 0;
        for (int[] row : ids) t = Math.max(t, row.length);
        long[] in = new long[b * t];
        long[] mask = new long[b * t];
        long[] types = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int k = i * t + j;
                if (j < ids[i].length) {
                    in[k] = ids[i][j];
                    mask[k] = 1;
                    types[k] = typeIds == null ? 0 : typeIds[i][j];
                } else {
                    in[k] = padId;
                }
            }
        }
        return new TokenBatch(b, t, in, mask, types);
    }

    /** Number of real (unpadded) tokens in row {@code i}. */
    public int length(int i) {
        int n = 0;
        for (int j = 0; j < seqLen; j++) n += (int) attentionMask[i * seqLen + j];
        return n;
    }

    /** Number of real tokens in the whole batch. */
    public int realTokens() {
        int n = 0;
        for (long m : attentionMask) n += (int) m;
        return n;
    }
}
