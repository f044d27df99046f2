/**
 * The status server: {@code /health} (from the Kafka Streams state), {@code /metrics} (Prometheus text),
 * {@code /} (a status page: configuration with secrets hidden, counters, a live feed of the last events) and
 * {@code /attention} (type a sentence, see a layer's and head's attention weights as a heat map and lines).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}; pages are plain HTML/JS resources next to these classes,
 * no build step. Depends on {@code dev.streamformer.metrics}, the Prometheus Java client's registry and snapshots
 * (what {@code /metrics}, the counters and the charts read) and Jackson; knows nothing of Kafka or the engines:
 * the pipeline hands it suppliers, an {@link dev.streamformer.metrics.EventFeed} and an
 * {@link dev.streamformer.http.AttentionSource}.
 *
 * <p>May depend on: {@code metrics} and Kafka; the Kafka client only reads the dead-letter topics back for the page
 * (no consumer group, never creating a topic). Not the engines.
 */
package dev.streamformer.http;
