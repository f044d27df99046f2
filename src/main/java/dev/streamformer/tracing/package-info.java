/**
 * OpenTelemetry tracing of the pipeline: the W3C {@code traceparent} of each input record continues through a span per
 * record (child of the record's own trace) and a span per model batch (linked to every record's trace), and the output
 * record carries the record span's {@code traceparent}. Spans are exported over OTLP only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set; otherwise nothing is
 * recorded and headers pass through untouched.
 *
 * <p>May depend on: Kafka (its header types only); nothing else in Streamformer.
 */
package dev.streamformer.tracing;
