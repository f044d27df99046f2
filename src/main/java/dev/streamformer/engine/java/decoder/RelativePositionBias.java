package dev.streamformer.engine.java.decoder;

/**
 * T5's positions: no embedding is added to the tokens; instead every attention score gets a learned bias per head
 * for the bucket of the relative distance {@code key − query}. Small distances have a bucket each, larger ones share
 * logarithmically wider buckets up to {@code maxDistance}. One table per stack (the encoder's is bidirectional, the
 * decoder's causal), learned in block 0 and shared by all blocks.
 *
 * @param weights [buckets, heads]
 */
record RelativePositionBias(float[] weights, int buckets, int maxDistance, int heads, boolean bidirectional) {

    /**
     * The bucket of a relative distance {@code rel = key - query}. Bidirectional spends half the buckets on keys after
     * the query; causal only sees {@code rel <= 0}. Computed in fp32 like transformers.
     */
    static int bucket(int rel, boolean bidirectional, int numBuckets, int maxDistance) {
        int bucket = 0;
        int n = numBuckets;
        int distance;
        if (bidirectional) {
            n /= 2;
            if (rel > 0) bucket += n;
            distance = Math.abs(rel);
        } else {
            distance = -Math.min(rel, 0);
        }
        int maxExact = n / 2;
        if (distance < maxExact) return bucket + distance;
        float logRatio = (float) Math.log((float) distance / maxExact) / (float) Math.log((double) maxDistance / maxExact);
        int large = maxExact + (int) (logRatio * (n - maxExact));
        return bucket + Math.min(large, n - 1);
    }

    /**
     * The biases of every distance a sequence of {@code span} positions can see, laid out so that for one query the
     * biases of keys {@code 0, 1, 2, …} are contiguous: head {@code h}, distance {@code rel} at
     * {@code [h·width + (span − 1) + rel]}, {@code width = 2·span − 1} (bidirectional) or {@code span} (causal).
     */
    Table table(int span) {
        int width = bidirectional ? 2 * span - 1 : span;
        float[] table = new float[heads * width];
        for (int i = 0; i < width; i++) {
            int b = bucket(i - (span - 1), bidirectional, buckets, maxDistance);
            for (int h = 0; h < heads; h++) table[h * width + i] = weights[b * heads + h];
        }
        return new Table(table, span, width);
    }

    /** A bias table for sequences of up to {@code span} positions, see {@link #table}. */
    record Table(float[] values, int span, int width) {

        /** Where the biases of head {@code h}'s query at {@code position} start (the bias of key 0). */
        int start(int h, int position) {
            return h * width + (span - 1) - position;
        }
    }
}
