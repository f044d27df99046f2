/**
 * What a stage publishes: embeddings (pooling, normalisation, prompts), classifications, rerankings, entities,
 * generated text. Turns token batches into JSON fields; knows engines and tokenizers, not Kafka.
 *
 * <p>May depend on: {@code chat}, {@code engine}, {@code engine.factory}, {@code engine.java.decoder}, {@code model},
 * {@code task.generate}, {@code task.train}, {@code tensor} and {@code tokenize} ({@code TaskSpec} builds every task,
 * the generate and trained-head ones included, and names the decoder's {@code Quantization}); encoders and decoders
 * come from {@code engine.factory}, never from an engine's own classes.
 */
package dev.streamformer.task;
