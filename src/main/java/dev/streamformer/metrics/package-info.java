/**
 * The pipeline's metrics on the Prometheus Java client ({@code io.prometheus:prometheus-metrics-*}), and the live
 * event feed of the status page.
 *
 * <p>{@link dev.streamformer.metrics.StreamformerMetrics} names the pipeline's standard series and records into the
 * client's counters, histograms and callback gauges in a {@code PrometheusRegistry};
 * {@link dev.streamformer.metrics.PrometheusText} writes the registry with the client's text format writer;
 * {@link dev.streamformer.metrics.KafkaMetricsBridge} exposes a Kafka client's or Kafka Streams' own metrics map as
 * gauges; {@link dev.streamformer.metrics.MetricsReference} lists the families for the documentation;
 * {@link dev.streamformer.metrics.EventFeed} keeps the last events that the pipeline pushes and the status page shows.
 *
 * <p>May depend on: Kafka (kafka-clients' {@code Metric} interfaces, for the bridge), besides the Prometheus Java client.
 */
package dev.streamformer.metrics;
