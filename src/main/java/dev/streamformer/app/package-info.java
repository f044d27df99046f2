/**
 * Command line (picocli): demo, run, replay, validate, broker, embed, classify, rerank, entities, generate, tokenize, bench.
 *
 * <p>May depend on: {@code bench}, {@code broker}, {@code chat}, {@code engine}, {@code engine.java},
 * {@code engine.java.decoder}, {@code event}, {@code http}, {@code metrics}, {@code model}, {@code schema}, {@code streams},
 * {@code task}, {@code task.factory}, {@code task.generate}, {@code task.train}, {@code tensor}, {@code tokenize}, {@code topology} and
 * Kafka: it is the top, and nothing depends on it.
 */
package dev.streamformer.app;
