package dev.streamformer.engine;

import dev.streamformer.tensor.Tensor;

/**
 * Runs a transformer encoder on a batch of token ids.
 *
 * <p>An engine is created once per model per JVM and is safe to call from many threads at once.
 * What comes out depends on the model: an encoder gives {@link Output#hiddenStates()} {@code [batch, seq, hidden]};
 * a sequence-classification model gives {@link Output#logits()} {@code [batch, labels]}, a token-classification model
 * {@code [batch, seq, labels]} (and either may give hidden states too).
 */
public interface Engine extends AutoCloseable {

    /** Short name for logs and metrics: {@code onnx} or {@code java}. */
    String name();

    /** Runs the model on one padded batch. */
    Output run(TokenBatch batch);

    /**
     * True when the engine computes the padding too (ONNX Runtime: every row runs at the longest row's length), so a
     * batch of texts of very different lengths is worth splitting; false when it drops the padding and runs the real
     * tokens only (the Java engine packs a batch's rows), where one call is best.
     */
    default boolean computesPadding() { return true; }

    @Override
    default void close() {}

    /**
     * What a forward pass produced. Either field may be null when the model does not produce it.
     *
     * @param hiddenStates last hidden state {@code [batch, seq, hidden]}
     * @param logits       classification logits {@code [batch, labels]}, or per token {@code [batch, seq, labels]}
     */
    record Output(Tensor hiddenStates, Tensor logits) {}
}
