package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.Linear;

/**
 * The sequence-classification head: {@code tanh(W_p · h[CLS] + b_p)}, then a linear classifier to one logit per label.
 * BERT and RoBERTa compute the same thing under other names: BERT's {@code pooler.dense} and {@code classifier},
 * RoBERTa's (and XLM-R's) {@code classifier.dense} and {@code classifier.out_proj}.
 */
final class ClassifierHead {

    private final Linear pooler;
    private final Linear classifier;
    private final int hidden;

    ClassifierHead(Linear pooler, Linear classifier, int hidden) {
        this.pooler = pooler;
        this.classifier = classifier;
        this.hidden = hidden;
    }

    /** BERT's or RoBERTa's head, or null when the weights hold no sequence classifier. */
    static ClassifierHead loadIfPresent(WeightSource w, EncoderConfig c) {
        if (c.numLabels() == 0 || c.perToken()) return null;
        if (w.has("classifier.out_proj.weight")) {           // RobertaClassificationHead
            return new ClassifierHead(
                    w.linear("classifier.dense", c.hidden(), c.hidden()),
                    w.linear("classifier.out_proj", c.hidden(), c.numLabels()),
                    c.hidden());
        }
        if (!w.has("classifier.weight")) return null;
        return new ClassifierHead(
                w.linear("pooler.dense", c.hidden(), c.hidden()),
                w.linear("classifier", c.hidden(), c.numLabels()),
                c.hidden());
    }

    int labels() { return classifier.out(); }

    /** Logits {@code [sequences, labels]} from the final hidden state of each sequence's first token ([CLS]). */
    float[] forward(float[] x, PackedBatch batch) {
        int b = batch.sequences();
        float[] cls = new float[b * hidden];                // (batch, hidden)
        for (int i = 0; i < b; i++) System.arraycopy(x, batch.start(i) * hidden, cls, i * hidden, hidden);
        float[] pooled = new float[b * hidden];
        pooler.forward(cls, b, pooled);
        for (int i = 0; i < pooled.length; i++) pooled[i] = (float) Math.tanh(pooled[i]);
        float[] logits = new float[b * labels()];           // (batch, labels)
        classifier.forward(pooled, b, logits);
        return logits;
    }
}
