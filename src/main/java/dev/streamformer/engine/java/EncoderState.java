package dev.streamformer.engine.java;

/**
 * Scratch memory for one forward pass, llama2.c's {@code RunState}: every activation lives here, sized for the
 * largest batch seen so far and reused, so a steady stream of batches allocates nothing in the model code.
 * One per calling thread; never shared between concurrent calls.
 */
final class EncoderState {

    private final EncoderConfig config;
    private int tokenCapacity = -1;
    private int lengthCapacity = -1;

    float[] x;             // (tokens, hidden)        the residual stream
    float[] sublayer;      // (tokens, hidden)        output of attention or feed-forward before the residual add
    float[] normed;        // (tokens, hidden)        pre-LN input of a sub-layer
    float[] q, k, v, ctx;  // (tokens, hidden)        queries, keys, values, concatenated head outputs
    float[] intermediate;  // (tokens, intermediate)  feed-forward middle
    float[][] scores;      // [heads] (T, T)          attention scores, then weights
    float[][] keysT;       // [heads] (d_k, T)        one head's keys, transposed

    EncoderState(EncoderConfig config) {
        this.config = config;
    }

    /** Makes room for {@code tokens} packed tokens and sequences up to {@code maxLength}. */
    void ensure(int tokens, int maxLength) {
        if (tokens > tokenCapacity) {
            int n = Math.max(tokens, 64);
            int h = config.hidden();
            x = new float[n * h];
            sublayer = new float[n * h];
            normed = config.norm() == EncoderConfig.NormPlacement.PRE_LN ? new float[n * h] : null;
            q = new float[n * h];
            k = new float[n * h];
            v = new float[n * h];
            ctx = new float[n * h];
            intermediate = new float[n * config.intermediate()];
            tokenCapacity = n;
        }
        if (maxLength > lengthCapacity) {
            int t = Math.max(maxLength, 16);
            scores = new float[config.heads()][t * t];
            keysT = new float[config.heads()][config.headDim() * t];
            lengthCapacity = t;
        }
    }
}
