/**
 * The Kafka Streams topology: parse and validate, batch by token budget inside exactly-once transactions, run a
 * task, enrich, route, dead-letter.
 *
 * <p>Start at {@link dev.streamformer.streams.EnrichmentTopology} (the picture and the wiring), then
 * {@link dev.streamformer.streams.BatchInferenceProcessor} (how batching stays exactly-once and how the work per
 * poll is bounded). {@link dev.streamformer.streams.Pipeline} runs it; {@link dev.streamformer.streams.PipelineConfig}
 * configures it; {@link dev.streamformer.streams.DeadLetters} lists the dead-letter headers. What an event goes
 * through (parse, isolate failures, enrich) is the event core in {@code event}, shared with the command line; the
 * processors here add Kafka: batching in a changelogged store, routing, dead-letter records.
 *
 * <p>May depend on: {@code event}, {@code metrics}, {@code task}, {@code tracing} and Kafka; nothing here loads models, reads files or
 * serves HTTP.
 */
package dev.streamformer.streams;
