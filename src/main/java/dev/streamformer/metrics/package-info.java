/**
 * A tiny metrics registry and its Prometheus text exposition (format 0.0.4).
 *
 * <p>{@link dev.streamformer.metrics.MetricsRegistry} holds counter, gauge and histogram families with
 * labels; {@link dev.streamformer.metrics.PrometheusText} writes any registry as the text format;
 * {@link dev.streamformer.metrics.StreamformerMetrics} names the pipeline's standard series;
 * {@link dev.streamformer.metrics.KafkaMetricsBridge} exposes a Kafka client's or Kafka Streams'
 * own metrics map as gauges; {@link dev.streamformer.metrics.EventFeed} keeps the last events that the pipeline pushes
 * and the status page shows.
 *
 * <p>May depend on: Kafka (kafka-clients' {@code Metric} interfaces, for the bridge).
 */
package dev.streamformer.metrics;
