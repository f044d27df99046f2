/**
 * What a stage publishes: embeddings (pooling, normalisation, prompts), classifications, rerankings, entities,
 * generated text. Turns token batches into JSON fields; knows engines and tokenizers, not Kafka.
 *
 * <p>May depend on: {@code engine}, {@code engine.factory}, {@code model}, {@code tensor} and {@code tokenize}; encoders
 * come from {@code engine.factory}, never from an engine's own classes. The tasks are built by {@code task.factory}.
 */
package dev.streamformer.task;
