/**
 * The Kafka Streams topology: parse and validate, batch by token budget inside exactly-once transactions, run a
 * task, enrich, route, dead-letter. The only package besides app and broker that knows Kafka.
 *
 * <p>Start at {@link dev.streamformer.streams.EnrichmentTopology} (the picture and the wiring), then
 * {@link dev.streamformer.streams.BatchInferenceProcessor} (how batching stays exactly-once and how the work per
 * poll is bounded). {@link dev.streamformer.streams.Pipeline} runs it; {@link dev.streamformer.streams.PipelineConfig}
 * configures it; {@link dev.streamformer.streams.DeadLetters} lists the dead-letter headers.
 * Depends on {@code task} (the {@code Task} contract) and Kafka; nothing here loads models.
 */
package dev.streamformer.streams;
