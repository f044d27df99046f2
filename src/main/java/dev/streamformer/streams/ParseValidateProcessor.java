package dev.streamformer.streams;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Node {@value EnrichmentTopology#PARSE}: checks each raw record with the {@link EventParser}. A valid event goes on
 * to the batch as a {@link ValidEvent}; an invalid one goes, with its original bytes, to the dead-letter sink.
 */
final class ParseValidateProcessor implements Processor<byte[], byte[], byte[], Object> {

    /** A record that passed validation: its original bytes and the text to run the model on. */
    record ValidEvent(byte[] raw, String text) {}

    private final EventParser parser;
    private final PipelineMetrics metrics;
    private ProcessorContext<byte[], Object> context;

    ParseValidateProcessor(EventParser parser, PipelineMetrics metrics) {
        this.parser = parser;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.recordIn();
        EventParser.ParsedEvent event;
        try {
            event = parser.parse(record.value());
        } catch (InvalidEventException e) {
            var source = EnrichmentTopology.source(context);
            context.forward(record.withHeaders(DeadLetters.headers(record.headers(), DeadLetters.Stage.PARSE, e.reason(), e,
                    source, null, 0)), EnrichmentTopology.DEAD_LETTER_SINK);
            metrics.deadLetter(e.reason());
            return;
        }
        context.forward(record.withValue(new ValidEvent(record.value(), event.text())), EnrichmentTopology.BATCH);
    }
}
