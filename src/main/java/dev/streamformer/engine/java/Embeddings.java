package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.LayerNorm;

/**
 * The input layer: each token becomes {@code word[id] + position[p] + tokenType[t]}, then LayerNorm.
 * Positions are learned (BERT) or the fixed sinusoids of "Attention Is All You Need"; either way a table
 * {@code [maxPositions, hidden]}. Which row {@code p} a token takes is BERT's index or RoBERTa's count
 * ({@link EncoderConfig.PositionIds}).
 */
final class Embeddings {

    private final EncoderConfig config;
    private final float[] word;       // [vocab, hidden]
    private final float[] position;   // [maxPositions, hidden]
    private final float[] tokenType;  // [typeVocab, hidden], or null
    private final LayerNorm norm;

    private Embeddings(EncoderConfig config, float[] word, float[] position, float[] tokenType, LayerNorm norm) {
        this.config = config;
        this.word = word;
        this.position = position;
        this.tokenType = tokenType;
        this.norm = norm;
    }

    static Embeddings load(WeightSource w, EncoderConfig c) {
        int h = c.hidden();
        float[] word = w.get("embeddings.word_embeddings.weight", c.vocabSize(), h);
        float[] position = c.positions() == EncoderConfig.Positions.LEARNED
                ? w.get("embeddings.position_embeddings.weight", c.maxPositions(), h)
                : sinusoids(c.maxPositions(), h);
        float[] types = c.typeVocabSize() > 0 ? w.get("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h) : null;
        return new Embeddings(c, word, position, types, w.layerNorm("embeddings.LayerNorm", h, c.layerNormEps()));
    }

    /** {@code PE[p, 2i] = sin(p / 10000^(2i/d))}, {@code PE[p, 2i+1] = cos(p / 10000^(2i/d))}. */
    static float[] sinusoids(int positions, int d) {
        float[] pe = new float[positions * d];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i += 2) {
                double angle = p / Math.pow(10000.0, (double) i / d);
                pe[p * d + i] = (float) Math.sin(angle);
                if (i + 1 < d) pe[p * d + i + 1] = (float) Math.cos(angle);
            }
        }
        return pe;
    }

    /**
     * Writes the embeddings of the batch's real tokens, packed one after another, into {@code x [tokens, hidden]}.
     * Each row of the batch counts its own positions (see {@link #position}); padding never enters.
     */
    void forward(PackedBatch batch, float[] x) {
        int h = config.hidden();
        for (int b = 0; b < batch.sequences(); b++) {
            int nonPad = 0;                                  // RoBERTa: non-pad tokens so far in this row
            for (int j = 0; j < batch.length(b); j++) {
                int row = (batch.start(b) + j) * h;
                int id = batch.tokenId(b, j);
                // one token type (XLM-R): every token is type 0, as in transformers, whose XLM-R tokenizer passes no type ids
                int type = config.typeVocabSize() == 1 ? 0 : batch.tokenType(b, j);
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize());
                }
                if (tokenType != null && (type < 0 || type >= config.typeVocabSize())) {
                    throw new IllegalArgumentException("token type " + type + " is outside [0, " + config.typeVocabSize() + ")");
                }
                if (id != config.padTokenId()) nonPad++;
                int p = position(j, id, nonPad);
                for (int d = 0; d < h; d++) {
                    float v = word[id * h + d] + position[p * h + d];
                    if (tokenType != null) v += tokenType[type * h + d];
                    x[row + d] = v;
                }
            }
        }
        norm.forward(x, batch.tokens(), x);
    }

    /**
     * The position-table row of token {@code j} (id {@code id}) of a sequence, {@code nonPad} being the count of non-pad
     * tokens up to and including it. BERT: {@code j}. RoBERTa: {@code padding_idx + nonPad}, or {@code padding_idx} for a
     * pad token (transformers' {@code create_position_ids_from_input_ids}: {@code cumsum(ids != pad) * (ids != pad) + pad}).
     */
    private int position(int j, int id, int nonPad) {
        return switch (config.positionIds()) {
            case INDEX -> j;
            case AFTER_PADDING_IDX -> id == config.padTokenId() ? config.padTokenId() : config.padTokenId() + nonPad;
        };
    }
}
