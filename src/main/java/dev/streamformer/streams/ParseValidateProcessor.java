package dev.streamformer.streams;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Node {@value #NAME}: checks each raw record with the {@link EventParser} of the event core. A valid event goes on
 * to the batch as a {@link ValidEvent}; a tombstone (null value) goes to the batch to be passed on, or is dropped
 * ({@link PipelineConfig.Tombstones}); an invalid one goes, with its original bytes, to the dead-letter sink. A value
 * format that is unavailable for now is waited for ({@link FormatRetry}).
 */
final class ParseValidateProcessor implements Processor<byte[], byte[], byte[], Object> {

    static final String NAME = "parse-validate";

    /**
     * A record that passed validation: its original bytes (for the changelog and dead letters) and the parsed event; or
     * a {@link #TOMBSTONE}, which the batch passes on in order.
     */
    record ValidEvent(byte[] raw, EventParser.ParsedEvent event) {
        static final ValidEvent TOMBSTONE = new ValidEvent(null, null);

        boolean tombstone() {
            return raw == null;
        }
    }

    private final EventParser parser;
    private final PipelineConfig.Tombstones tombstones;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Object> context;
    private FormatRetry retry;

    ParseValidateProcessor(EventParser parser, PipelineConfig.Tombstones tombstones, PipelineMetrics metrics) {
        this.parser = parser;
        this.tombstones = tombstones;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.retry = FormatRetry.of(context, metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.recordIn();
        if (record.value() == null) {
            if (tombstones == PipelineConfig.Tombstones.PASS) {
                context.forward(record.withValue(ValidEvent.TOMBSTONE), BatchInferenceProcessor.NAME);
            } else {
                metrics.tombstone(false);
            }
            return;
        }
        EventParser.ParsedEvent event;
        try {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            event = retry.call(() -> parser.parse(topic, record.value()));
        } catch (InvalidEventException e) {
            var original = new PendingRecord(record.key(), record.value(), record.timestamp(), record.headers(),
                    DeadLetters.Source.of(context), 0);
            DeadLetters.send(context, metrics, original, DeadLetters.Stage.PARSE, e.reason(), e, null, 0);
            return;
        }
        context.forward(record.withValue(new ValidEvent(record.value(), event)), BatchInferenceProcessor.NAME);
    }
}
