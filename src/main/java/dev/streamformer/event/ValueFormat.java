package dev.streamformer.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * How a record's value becomes an event and how the enriched event becomes the output value: the one place where the
 * bytes on a topic meet the event core, the same on Kafka and on the command line. Formats are chosen by name
 * ({@link ValueFormats}); {@code json} and {@code text} are built in, other packages add theirs (e.g. schema-registry
 * formats) through a {@link Provider}.
 *
 * <p>Failures: bytes that can never be read (or an event that cannot be written) are an {@link InvalidEventException}
 * with its reason, and the record is a dead letter; a dependency that is down for now (e.g. a schema registry) is a
 * {@link FormatUnavailableException}, and the record is retried, never dead-lettered or dropped.
 */
public interface ValueFormat {

    /**
     * An input value read as an event.
     *
     * @param event       the record as a JSON object (the fields a text field, template or task reads)
     * @param writerState what {@link #write} needs besides the enriched event (e.g. the input's schema); null if nothing
     */
    record Decoded(ObjectNode event, Object writerState) {}

    /** The value of a record read from {@code topic}, as an event. */
    Decoded read(String topic, byte[] value);

    /**
     * The output value for a record read as {@code input}, now {@code enriched} (its event with the task's fields), to
     * be written to {@code outputTopic}.
     */
    byte[] write(String outputTopic, Decoded input, ObjectNode enriched);

    /**
     * Adds a format by name; found with {@link java.util.ServiceLoader} (list the class in
     * {@code META-INF/services/dev.streamformer.event.ValueFormat$Provider}) or given to {@link ValueFormats#register}.
     */
    interface Provider {
        /** The name users give, e.g. {@code avro}. */
        String name();

        /**
         * The format for one stage; called at startup to check the settings, so it does no I/O (connect on first use).
         *
         * @param settings the stage's format settings by name (e.g. {@code outputFormat}, {@code textField},
         *                 {@code schemaRegistryUrl}); unknown keys are for other formats and are ignored
         * @throws IllegalArgumentException a setting is wrong, in one sentence with the fix
         */
        ValueFormat create(Map<String, String> settings);
    }
}
