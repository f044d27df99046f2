package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.Enrichment;
import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.function.Function;

/**
 * Node {@value #NAME}: enriches the event as the command line does ({@link Enrichment}; the result into the value, or
 * into a record header), picks its output topic (the
 * routing value, if any) and writes the value in the stage's {@link ValueFormat} for that topic. Key, timestamp and
 * headers stay those of the input record.
 */
final class EnrichProcessor implements Processor<byte[], EnrichProcessor.InferredEvent, byte[], Object> {

    static final String NAME = "enrich";
    /** The sink that writes enriched events to the output topic (or the topic their route names). */
    static final String OUTPUT_SINK = "write-enriched";

    /** The input event as its format read it, its text, the task's fields for it, and the record it came from. */
    record InferredEvent(ValueFormat.Decoded decoded, String text, ObjectNode fields, PendingRecord pending) {}

    /** An enriched event ready to write: its value and the topic it goes to. */
    record EnrichedEvent(byte[] value, String topic) {}

    private final String modelId;
    private final Enrichment enrichment;
    private final String routeField;
    private final Function<String, String> topicByRoute;
    private final ValueFormat format;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Object> context;
    private FormatRetry retry;

    /**
     * @param routeField   the result field whose value picks the topic; null: no routing
     * @param topicByRoute the output topic for a routing value (null: none)
     */
    EnrichProcessor(String modelId, Enrichment enrichment, String routeField, Function<String, String> topicByRoute, ValueFormat format,
                    PipelineMetrics metrics) {
        this.modelId = modelId;
        this.enrichment = enrichment;
        this.routeField = routeField;
        this.topicByRoute = topicByRoute;
        this.format = format;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.retry = FormatRetry.of(context, metrics);
    }

    @Override
    public void process(Record<byte[], InferredEvent> record) {
        InferredEvent event = record.value();
        String topic = topicByRoute.apply(route(event.fields()));
        byte[] value;
        Headers headers = record.headers();
        try {
            byte[] header = enrichment.header(event.fields(), modelId);
            if (header != null) {
                headers = new RecordHeaders(headers.toArray()).add(enrichment.outputHeader(), header);
            }
            ObjectNode enriched = enrichment.enrich(event.decoded().event(), event.fields(), modelId);
            value = retry.call(() -> format.write(topic, event.decoded(), enriched));
        } catch (InvalidEventException e) {
            DeadLetters.send(context, metrics, event.pending(), DeadLetters.Stage.ENRICH, e.reason(), e, null, 0);
            return;
        }
        context.forward(record.withValue(new EnrichedEvent(value, topic)).withHeaders(headers), OUTPUT_SINK);
        metrics.recordOut(record.key(), event.text(), event.fields());
    }

    private String route(ObjectNode fields) {
        if (routeField == null) {
            return null;
        }
        JsonNode value = fields.get(routeField);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }
}
