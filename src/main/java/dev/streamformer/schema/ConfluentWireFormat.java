package dev.streamformer.schema;

import dev.streamformer.event.InvalidEventException;

import java.nio.ByteBuffer;

/**
 * Values framed by a schema registry's serializer (Confluent wire format: byte 0, a 4-byte big-endian schema id, then
 * the Avro record, or for Protobuf the message indexes and the message). Streamformer reads raw values of the schema
 * in {@code --schema-file} and talks to no registry, so such a value is a dead letter with reason {@value #REASON} and
 * a sentence that says what it is, instead of a puzzling decode error.
 */
final class ConfluentWireFormat {

    /** The reason of a value that carries a registry's wire-format prefix. */
    static final String REASON = "wire-format-prefix";

    private ConfluentWireFormat() {}

    /** Whether {@code value} can be framed: the magic byte 0 and room for the 4-byte schema id. */
    static boolean mayBe(byte[] value) {
        return value != null && value.length >= 5 && value[0] == 0;
    }

    /** The dead letter's exception for a framed value; {@code expected} says what the raw value should have been. */
    static InvalidEventException refused(byte[] value, String expected) {
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        return new InvalidEventException(REASON, "The value looks like Confluent wire format (magic byte 0, then schema id "
                + schemaId + "), not " + expected + ": Streamformer reads raw values of the schema in --schema-file and no"
                + " registry; have the producer write the raw bytes (no registry serializer).");
    }
}
