package dev.streamformer.streams;

import dev.streamformer.event.InvalidEventException;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * The headers a dead-lettered record carries. The value and key are the original bytes, untouched; the input
 * record's own headers are kept and these are added:
 *
 * <table>
 *   <caption>dead-letter headers (all values UTF-8 strings)</caption>
 *   <tr><td>{@code streamformer.error.stage}</td><td>{@code parse}, {@code tokenize}, {@code infer}, {@code enrich}, or {@code restore}
 *       (a pending-batch changelog record that cannot be read: its value is then the changelog bytes)</td></tr>
 *   <tr><td>{@code streamformer.error.reason}</td><td>short code, e.g. {@code malformed-json}, {@code model-failure}</td></tr>
 *   <tr><td>{@code streamformer.error.class}</td><td>exception class name</td></tr>
 *   <tr><td>{@code streamformer.error.message}</td><td>one sentence saying what is wrong</td></tr>
 *   <tr><td>{@code streamformer.source.topic/partition/offset}</td><td>where the record was read</td></tr>
 *   <tr><td>{@code streamformer.model}, {@code streamformer.tokens}</td><td>for inference failures: model id, token count</td></tr>
 *   <tr><td>{@code __streams.errors.*}</td><td>the same facts under Kafka Streams' own KIP-1034 names
 *       (exception, message, stacktrace for model failures, topic, partition, offset)</td></tr>
 * </table>
 */
public final class DeadLetters {

    public static final String STAGE = "streamformer.error.stage";
    public static final String REASON = "streamformer.error.reason";
    public static final String CLASS = "streamformer.error.class";
    public static final String MESSAGE = "streamformer.error.message";
    public static final String SOURCE_TOPIC = "streamformer.source.topic";
    public static final String SOURCE_PARTITION = "streamformer.source.partition";
    public static final String SOURCE_OFFSET = "streamformer.source.offset";
    public static final String MODEL = "streamformer.model";
    public static final String TOKENS = "streamformer.tokens";

    /** KIP-1034 header names, as Kafka Streams 4.x writes them for its own dead-letter records. */
    public static final String KIP1034_EXCEPTION = "__streams.errors.exception";
    public static final String KIP1034_MESSAGE = "__streams.errors.message";
    public static final String KIP1034_STACKTRACE = "__streams.errors.stacktrace";
    public static final String KIP1034_TOPIC = "__streams.errors.topic";
    public static final String KIP1034_PARTITION = "__streams.errors.partition";
    public static final String KIP1034_OFFSET = "__streams.errors.offset";

    /** Where in the pipeline a record failed. */
    public enum Stage {
        PARSE, TOKENIZE, INFER, ENRICH, RESTORE;

        String header() {
            return name().toLowerCase();
        }
    }

    /** The name of the sink node that writes dead letters. */
    static final String SINK = "write-dead-letters";

    /** Where the failed record was read from. */
    public record Source(String topic, int partition, long offset) {

        /** The input coordinates of the record being processed (the record's own, not a punctuation's). */
        static Source of(ProcessorContext<?, ?> context) {
            return context.recordMetadata()
                    .map(m -> new Source(m.topic(), m.partition(), m.offset()))
                    .orElse(new Source("unknown", -1, -1));
        }
    }

    /**
     * Sends a record's original key and bytes to the dead-letter sink with the error headers, and counts it.
     *
     * @param modelId null unless the failure is an inference (or tokenizer) failure
     */
    static void send(ProcessorContext<byte[], Object> context, PipelineMetrics metrics, PendingRecord record, Stage stage,
                     String reason, Throwable error, String modelId, int tokens) {
        Record<byte[], byte[]> original = record.original();
        context.forward(original.withHeaders(headers(original.headers(), stage, reason, error, record.source(), modelId, tokens)), SINK);
        metrics.deadLetter(reason);
    }

    private DeadLetters() {}

    /**
     * The input headers plus the error headers.
     *
     * @param modelId null unless the failure is an inference failure
     */
    public static Headers headers(Headers input, Stage stage, String reason, Throwable error, Source source,
                                  String modelId, int tokens) {
        var headers = new RecordHeaders(input.toArray());
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        put(headers, STAGE, stage.header());
        put(headers, REASON, reason);
        put(headers, CLASS, error.getClass().getName());
        put(headers, MESSAGE, message);
        put(headers, SOURCE_TOPIC, source.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        if (modelId != null) {
            put(headers, MODEL, modelId);
            put(headers, TOKENS, Integer.toString(tokens));
        }
        put(headers, KIP1034_EXCEPTION, error.getClass().getName());
        put(headers, KIP1034_MESSAGE, message);
        if (!(error instanceof InvalidEventException)) {
            put(headers, KIP1034_STACKTRACE, stackTrace(error));
        }
        put(headers, KIP1034_TOPIC, source.topic());
        put(headers, KIP1034_PARTITION, Integer.toString(source.partition()));
        put(headers, KIP1034_OFFSET, Long.toString(source.offset()));
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable error) {
        var out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
