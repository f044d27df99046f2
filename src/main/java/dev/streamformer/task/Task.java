package dev.streamformer.task;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One inference stage as the stream sees it: texts in, JSON fields to add out.
 *
 * <p>A task owns a tokenizer and an engine (loaded once per JVM, shared by all stream threads) and is
 * thread-safe. It knows nothing about Kafka.
 */
public interface Task extends AutoCloseable {

    /** {@code embed}, {@code classify}, {@code rerank}, {@code entities} or {@code generate}. */
    String name();

    /** The model id or path, written into every output event as {@code model}. */
    String modelId();

    /** How this task reads an event; {@link EventInput#TEXT} (the text field as it is) unless it says otherwise. */
    default EventInput input() {
        return EventInput.TEXT;
    }

    /** Number of tokens this text will cost the model (after truncation), for token-budget batching. */
    int countTokens(String text);

    /**
     * The text tokenized once, on its way to the model: the batcher plans with its token count and hands it back to
     * {@link #runPrepared}. A task that keeps the encoding overrides both; by default only the count is kept.
     */
    default PreparedText prepare(String text) {
        return PreparedText.counted(text, countTokens(text));
    }

    /** {@link #run} on prepared texts, without tokenizing again where the task kept their encodings. */
    default List<ObjectNode> runPrepared(List<PreparedText> inputs) {
        return run(PreparedText.texts(inputs));
    }

    /**
     * Runs the model on a batch of texts. Returns one result per text, in order. Each result holds the
     * fields to add to that event (e.g. {@code embedding}); the caller adds {@code model} itself.
     *
     * @throws RuntimeException when the batch as a whole fails; callers bisect to find the bad text
     */
    List<ObjectNode> run(List<String> texts);

    @Override
    default void close() {}
}
