package dev.streamformer.engine.java;

import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-style Transformer encoder: embeddings, then {@code layers} encoder blocks, then (for a classifier)
 * a sequence-classification head on the first token, or a token-classification head on every token.
 * Holds the weights only; all activations live in an {@link EncoderState}.
 */
final class TransformerEncoder {

    final EncoderConfig config;
    private final Embeddings embeddings;
    private final List<EncoderBlock> blocks;
    private final ClassifierHead head;
    private final TokenClassifierHead tokenHead;

    private TransformerEncoder(EncoderConfig config, Embeddings embeddings, List<EncoderBlock> blocks, ClassifierHead head,
                               TokenClassifierHead tokenHead) {
        this.config = config;
        this.embeddings = embeddings;
        this.blocks = blocks;
        this.head = head;
        this.tokenHead = tokenHead;
    }

    static TransformerEncoder load(WeightSource weights, EncoderConfig config) {
        List<EncoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) blocks.add(EncoderBlock.load(weights, i, config));
        return new TransformerEncoder(config, Embeddings.load(weights, config), List.copyOf(blocks),
                ClassifierHead.loadIfPresent(weights, config), TokenClassifierHead.loadIfPresent(weights, config));
    }

    boolean hasClassifier() { return head != null; }

    /** True when the logits are per token, {@code [tokens, labels]}, rather than per sequence. */
    boolean classifiesTokens() { return tokenHead != null; }

    /**
     * Runs the encoder; the last hidden state of the real tokens ends up in {@code s.x [tokens, hidden]}.
     *
     * @param attentionWeights null, or one array per layer to receive {@code [batch, heads, T, T]} weights
     * @return logits {@code [batch, labels]}, or {@code [tokens, labels]} packed for a token classifier, or null without a head
     */
    float[] forward(PackedBatch batch, EncoderState s, float[][] attentionWeights) {
        s.ensure(batch.tokens());
        embeddings.forward(batch, s.x);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).forward(s.x, batch.layout(), s, attentionWeights == null ? null : attentionWeights[i]);
        }
        if (head != null) return head.forward(s.x, batch);
        return tokenHead == null ? null : tokenHead.forward(s.x, batch);
    }
}
