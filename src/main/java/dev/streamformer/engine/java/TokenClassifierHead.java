package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.Linear;

/**
 * The token-classification head ({@code BertForTokenClassification}, {@code XLMRobertaForTokenClassification}): one linear
 * layer from every token's final hidden state to one logit per label, {@code logits[t] = W_c · h[t] + b_c}.
 */
final class TokenClassifierHead {

    private final Linear classifier;

    private TokenClassifierHead(Linear classifier) {
        this.classifier = classifier;
    }

    /** The {@code classifier} linear of a config that says its labels are per token, or null. */
    static TokenClassifierHead loadIfPresent(WeightSource w, EncoderConfig c) {
        if (!c.perToken() || c.numLabels() == 0) return null;
        return new TokenClassifierHead(w.linear("classifier", c.hidden(), c.numLabels()));
    }

    int labels() { return classifier.out(); }

    /** Logits {@code [tokens, labels]} of the batch's real tokens, packed as {@code x [tokens, hidden]} is. */
    float[] forward(float[] x, PackedBatch batch) {
        float[] logits = new float[batch.tokens() * labels()];
        classifier.forward(x, batch.tokens(), logits);
        return logits;
    }
}
