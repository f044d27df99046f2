package dev.streamformer.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The spans of one model batch: {@code streamformer.batch} (its own trace, linked to the trace of every record in it;
 * model, task, records, tokens, outcome counts) and, per record, {@code streamformer.record}: a child of the record's
 * {@code traceparent} header (a new trace when it has none), linked to the batch, with the record's tokens and outcome.
 * {@link #headers} gives the headers for the record's output: the input's, with {@code traceparent} (and
 * {@code tracestate}) now naming the record span. Without tracing configured every method is a no-op and headers come
 * back unchanged.
 */
public final class BatchTrace {
    public static final String TRACEPARENT = "traceparent", TRACESTATE = "tracestate";
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("streamformer.model");
    static final AttributeKey<String> TASK = AttributeKey.stringKey("streamformer.task");
    static final AttributeKey<Long> RECORDS = AttributeKey.longKey("streamformer.batch.records");
    static final AttributeKey<Long> TOKENS = AttributeKey.longKey("streamformer.tokens");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("streamformer.outcome");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("streamformer.error.reason");
    static final AttributeKey<Long> ENRICHED = AttributeKey.longKey("streamformer.batch.enriched");
    static final AttributeKey<Long> DEAD_LETTERS = AttributeKey.longKey("streamformer.batch.dead_letters");

    private static final BatchTrace NOOP = new BatchTrace(null, null, null, List.of(), null, null);
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final Tracer tracer;
    private final Span batch;
    private final Instant start;
    private final List<Context> parents;
    private final String model, task;
    private long enriched, deadLetters;

    private BatchTrace(Tracer tracer, Span batch, Instant start, List<Context> parents, String model, String task) {
        this.tracer = tracer;
        this.batch = batch;
        this.start = start;
        this.parents = parents;
        this.model = model;
        this.task = task;
    }

    /**
     * Starts the batch span for records with these headers (in batch order); a no-op when tracing is off, and then the
     * headers and tokens are not even gathered (this runs for every batch).
     */
    public static BatchTrace start(String task, String model, Supplier<List<Headers>> recordHeaders, LongSupplier batchTokens) {
        OpenTelemetry otel = Tracing.get();
        if (otel == OpenTelemetry.noop()) return NOOP;   // off: nothing is collected for the batch
        List<Headers> records = recordHeaders.get();
        long tokens = batchTokens.getAsLong();
        Tracer tracer = otel.getTracer(Tracing.INSTRUMENTATION);
        var parents = new ArrayList<Context>(records.size());
        Instant start = Instant.now();
        SpanBuilder builder = tracer.spanBuilder("streamformer.batch").setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start).setAttribute(MODEL, model).setAttribute(TASK, task)
                .setAttribute(RECORDS, (long) records.size()).setAttribute(TOKENS, tokens);
        for (Headers h : records) {
            Context parent = W3C.extract(Context.root(), h, GETTER);
            parents.add(parent);
            SpanContext sc = Span.fromContext(parent).getSpanContext();
            if (sc.isValid()) builder.addLink(sc);
        }
        return new BatchTrace(tracer, builder.startSpan(), start, parents, model, task);
    }

    /**
     * Ends record {@code index}'s span with its outcome ({@code reason} null: enriched, else the dead-letter reason)
     * and returns the headers its output record carries.
     */
    public Headers headers(int index, Headers input, int tokens, String reason) {
        if (tracer == null) return input;
        Span span = tracer.spanBuilder("streamformer.record").setParent(parents.get(index)).setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(start).addLink(batch.getSpanContext()).setAttribute(MODEL, model).setAttribute(TASK, task)
                .setAttribute(TOKENS, (long) tokens).setAttribute(OUTCOME, reason == null ? "enriched" : "dead-letter").startSpan();
        if (reason != null) {
            span.setAttribute(REASON, reason);
            span.setStatus(StatusCode.ERROR, reason);
            deadLetters++;
        } else {
            enriched++;
        }
        span.end();
        var out = new RecordHeaders();
        for (Header h : input) {
            if (!h.key().equals(TRACEPARENT) && !h.key().equals(TRACESTATE)) out.add(h);
        }
        W3C.inject(parents.get(index).with(span), out, SETTER);
        return out;
    }

    /** Ends the batch span with the counts of its outcomes. */
    public void end() {
        if (batch == null) return;
        batch.setAttribute(ENRICHED, enriched);
        batch.setAttribute(DEAD_LETTERS, deadLetters);
        if (deadLetters > 0 && enriched == 0) batch.setStatus(StatusCode.ERROR, "every record failed");
        batch.end();
    }

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return StreamSupport.stream(carrier.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) return null;
            Header h = carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
        if (carrier == null) return;
        carrier.remove(key);
        carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
    };
}
