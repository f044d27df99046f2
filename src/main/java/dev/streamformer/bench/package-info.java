/**
 * Benchmarks that the {@code bench} commands and the tests run: {@link dev.streamformer.bench.PipelineBenchmark} (the
 * Kafka pipeline on an embedded broker next to the same task without Kafka), {@link dev.streamformer.bench.LatencyBenchmark}
 * (produce-to-visible latency of single events through the pipeline) and {@link dev.streamformer.bench.EngineBenchmark}
 * (the Java Transformer next to ONNX Runtime on the same batches); {@link dev.streamformer.bench.CpuByThread} splits the
 * process's CPU by thread group (task, Kafka broker and clients, JVM) for the pipeline benchmark.
 *
 * <p>May depend on: {@code broker}, {@code engine}, {@code engine.java}, {@code engine.onnx}, {@code event},
 * {@code streams}, {@code task} and Kafka: benchmarks sit beside what they measure, so that no measured package
 * depends on another to be measured.
 */
package dev.streamformer.bench;
