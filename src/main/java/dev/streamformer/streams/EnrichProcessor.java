package dev.streamformer.streams;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.Enrichment;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Node {@value #NAME}: enriches the event and writes it as the command line does
 * ({@link Enrichment}), and picks the routing value. Key, timestamp and headers stay those of the input record.
 */
final class EnrichProcessor implements Processor<byte[], EnrichProcessor.InferredEvent, byte[], Object> {

    static final String NAME = "enrich";
    /** The sink that writes enriched events to the output topic (or the topic their route names). */
    static final String OUTPUT_SINK = "write-enriched";

    /** The parsed input event, its text, the task's fields for it, and the record it came from. */
    record InferredEvent(ObjectNode json, String text, ObjectNode fields, PendingRecord pending) {}

    /** An enriched event ready to write: its JSON bytes and the value of the routing field (null if none). */
    record EnrichedEvent(byte[] json, String route) {}

    private final String modelId;
    private final String routeField;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Object> context;

    EnrichProcessor(String modelId, String routeField, PipelineMetrics metrics) {
        this.modelId = modelId;
        this.routeField = routeField;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], InferredEvent> record) {
        InferredEvent event = record.value();
        byte[] json;
        try {
            json = Enrichment.toJson(Enrichment.enrich(event.json(), event.fields(), modelId));
        } catch (JacksonException e) {
            DeadLetters.send(context, metrics, event.pending(), DeadLetters.Stage.ENRICH, Enrichment.UNWRITABLE, e, null, 0);
            return;
        }
        context.forward(record.withValue(new EnrichedEvent(json, route(event.fields()))), OUTPUT_SINK);
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
