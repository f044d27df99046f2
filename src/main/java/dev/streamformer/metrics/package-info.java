/**
 * A tiny metrics registry and its Prometheus text exposition (format 0.0.4).
 *
 * <p>{@link dev.streamformer.metrics.MetricsRegistry} holds counter, gauge and histogram families with
 * labels; {@link dev.streamformer.metrics.PrometheusText} writes any registry as the text format;
 * {@link dev.streamformer.metrics.StreamformerMetrics} names the pipeline's standard series;
 * {@link dev.streamformer.metrics.KafkaMetricsBridge} exposes a Kafka client's or Kafka Streams'
 * own metrics map as gauges. Depends only on the JDK and kafka-clients' {@code Metric} interfaces.
 */
package dev.streamformer.metrics;
