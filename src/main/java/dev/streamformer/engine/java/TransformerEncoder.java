package dev.streamformer.engine.java;

import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-style Transformer encoder: embeddings, then {@code layers} encoder blocks, then (for a classifier)
 * the pooler and classification head. Holds the weights only; all activations live in an {@link EncoderState}.
 */
final class TransformerEncoder {

    final EncoderConfig config;
    private final Embeddings embeddings;
    private final List<EncoderBlock> blocks;
    private final ClassifierHead head;

    private TransformerEncoder(EncoderConfig config, Embeddings embeddings, List<EncoderBlock> blocks, ClassifierHead head) {
        this.config = config;
        this.embeddings = embeddings;
        this.blocks = blocks;
        this.head = head;
    }

    static TransformerEncoder load(WeightSource weights, EncoderConfig config) {
        List<EncoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) blocks.add(EncoderBlock.load(weights, i, config));
        return new TransformerEncoder(config, Embeddings.load(weights, config), List.copyOf(blocks),
                ClassifierHead.loadIfPresent(weights, config));
    }

    boolean hasClassifier() { return head != null; }

    /**
     * Runs the encoder; the last hidden state of the real tokens ends up in {@code s.x [tokens, hidden]}.
     *
     * @param attentionWeights null, or one array per layer to receive {@code [batch, heads, T, T]} weights
     * @return logits {@code [batch, labels]}, or null without a classifier
     */
    float[] forward(PackedBatch batch, EncoderState s, float[][] attentionWeights) {
        s.ensure(batch.tokens(), batch.maxLength());
        embeddings.forward(batch, s.x);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).forward(s.x, batch, s, attentionWeights == null ? null : attentionWeights[i]);
        }
        return head == null ? null : head.forward(s.x, batch);
    }
}
