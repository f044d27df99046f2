/**
 * Topology files ({@code topology/*.yaml}): a pipeline of named stages over topics, each stage a task on a model,
 * with Kafka Streams properties in one block passed through unchanged. Loading validates everything and names the
 * file, line and key of any mistake; running builds one {@link dev.streamformer.streams.Pipeline} per stage, sharing
 * models between stages.
 *
 * <p>May depend on: {@code engine.java.decoder}, {@code event}, {@code model}, {@code streams}, {@code task},
 * {@code task.factory}, {@code task.generate} and Kafka.
 */
package dev.streamformer.topology;
