package dev.streamformer.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamformer.tracing.BatchTrace;
import dev.streamformer.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing through the pipeline with the SDK's in-memory exporter: the input's W3C traceparent continues in a record span,
 * the output record carries that span's traceparent, a batch span links every record's trace; without tracing the
 * headers pass through unchanged and nothing is recorded.
 */
class TracingTopologyTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736", PARENT = "00f067aa0ba902b7";

    @AfterEach
    void reset() {
        Tracing.set(null);
    }

    private static String header(Headers headers, String key) {
        var h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private record Run(List<TestRecord<byte[], byte[]>> out, List<TestRecord<byte[], byte[]>> dlq) {}

    private static Run run() {
        var pipeline = PipelineConfig.builder().inputTopic("events").outputTopic("enriched").deadLetterTopic("events.dlq")
                .batching(new PipelineConfig.Batching(10_000, 3, Duration.ofSeconds(10)));
        try (var stage = TopologyRun.start(pipeline, config -> EnrichmentTopology.build(config, new TextStatsTask(), "text-stats", new PipelineMetrics()))) {
            var input = stage.input;
            var traced = new RecordHeaders();
            traced.add("traceparent", ("00-" + TRACE + "-" + PARENT + "-01").getBytes(UTF_8));
            traced.add("tracestate", "vendor=1".getBytes(UTF_8));
            traced.add("app", "kept".getBytes(UTF_8));
            input.pipeInput(new TestRecord<>("a".getBytes(UTF_8), "{\"text\":\"traced event\"}".getBytes(UTF_8), traced));
            input.pipeInput(new TestRecord<>("b".getBytes(UTF_8), "{\"text\":\"no trace\"}".getBytes(UTF_8), new RecordHeaders()));
            var failing = new RecordHeaders();
            failing.add("traceparent", ("00-" + TRACE.replace('4', '5') + "-" + PARENT + "-01").getBytes(UTF_8));
            input.pipeInput(new TestRecord<>("c".getBytes(UTF_8), ("{\"text\":\"bad " + TextStatsTask.FAIL_MARKER + "\"}").getBytes(UTF_8), failing));
            return new Run(stage.output.readRecordsToList(), stage.deadLetters.readRecordsToList());
        }
    }

    @Test
    void traceparentContinuesThroughARecordSpanAndABatchSpanLinksThemAll() {
        var exporter = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        Tracing.set(sdk);
        Run run = run();
        assertEquals(2, run.out().size());
        assertEquals(1, run.dlq().size());

        List<SpanData> spans = exporter.getFinishedSpanItems();
        List<SpanData> batches = spans.stream().filter(s -> s.getName().equals("streamformer.batch")).toList();
        assertEquals(1, batches.size(), "one batch of 3: " + spans);
        SpanData batch = batches.getFirst();
        assertEquals(3L, batch.getAttributes().get(AttributeKey.longKey("streamformer.batch.records")));
        assertEquals(2L, batch.getAttributes().get(AttributeKey.longKey("streamformer.batch.enriched")));
        assertEquals(1L, batch.getAttributes().get(AttributeKey.longKey("streamformer.batch.dead_letters")));
        assertEquals("test/text-stats", batch.getAttributes().get(AttributeKey.stringKey("streamformer.model")));
        assertEquals(2, batch.getLinks().size(), "linked to the two traced records");

        Map<String, SpanData> records = spans.stream().filter(s -> s.getName().equals("streamformer.record"))
                .collect(Collectors.toMap(s -> s.getSpanContext().getSpanId(), Function.identity()));
        assertEquals(3, records.size());

        TestRecord<byte[], byte[]> a = run.out().stream().filter(r -> new String(r.key(), UTF_8).equals("a")).findFirst().orElseThrow();
        String traceparent = header(a.headers(), BatchTrace.TRACEPARENT);
        String[] parts = traceparent.split("-");
        assertEquals(TRACE, parts[1], "the output stays in the input's trace");
        assertNotEquals(PARENT, parts[2], "and names the record span");
        SpanData recordSpan = records.get(parts[2]);
        assertEquals(PARENT, recordSpan.getParentSpanId(), "the record span is a child of the input's span");
        assertEquals(batch.getSpanContext(), recordSpan.getLinks().getFirst().getSpanContext());
        assertEquals("enriched", recordSpan.getAttributes().get(AttributeKey.stringKey("streamformer.outcome")));
        assertEquals("vendor=1", header(a.headers(), BatchTrace.TRACESTATE));
        assertEquals("kept", header(a.headers(), "app"));

        TestRecord<byte[], byte[]> b = run.out().stream().filter(r -> new String(r.key(), UTF_8).equals("b")).findFirst().orElseThrow();
        SpanData fresh = records.get(header(b.headers(), BatchTrace.TRACEPARENT).split("-")[2]);
        assertTrue(!fresh.getParentSpanContext().isValid(), "no traceparent in: a new trace");

        String dead = header(run.dlq().getFirst().headers(), BatchTrace.TRACEPARENT);
        SpanData failed = records.get(dead.split("-")[2]);
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertEquals("model-failure", failed.getAttributes().get(AttributeKey.stringKey("streamformer.error.reason")));
        assertEquals("dead-letter", failed.getAttributes().get(AttributeKey.stringKey("streamformer.outcome")));
    }

    @Test
    void withoutAnEndpointNothingIsRecordedAndHeadersPassThrough() {
        Tracing.set(null);
        assertTrue(!Tracing.enabled(), "no OTEL_EXPORTER_OTLP_ENDPOINT in the test environment");
        Run run = run();
        TestRecord<byte[], byte[]> a = run.out().stream().filter(r -> new String(r.key(), UTF_8).equals("a")).findFirst().orElseThrow();
        assertEquals("00-" + TRACE + "-" + PARENT + "-01", header(a.headers(), BatchTrace.TRACEPARENT), "unchanged");
    }
}
