package dev.streamformer.streams;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PendingRecordTest {

    private final org.apache.kafka.common.serialization.Serde<PendingRecord> serde = PendingRecord.serde();

    @Test
    void roundTripsEveryField() {
        var headers = new RecordHeaders().add("a", "1".getBytes(UTF_8)).add("empty", null).add("a", new byte[]{0, -1});
        var record = new PendingRecord(null, "{\"text\":\"é\"}".getBytes(UTF_8), 1_700_000_000_123L, headers,
                new DeadLetters.Source("events", 3, 123_456_789_012L), 42);
        PendingRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", record));
        assertNull(back.key());
        assertArrayEquals(record.value(), back.value());
        assertEquals(record.timestamp(), back.timestamp());
        assertEquals(record.source(), back.source());
        assertEquals(42, back.tokens());
        var h = back.headers().toArray();
        assertEquals(3, h.length);
        assertEquals("a", h[0].key());
        assertArrayEquals("1".getBytes(UTF_8), h[0].value());
        assertNull(h[1].value());
        assertArrayEquals(new byte[]{0, -1}, h[2].value());
    }

    @Test
    void refusesAnUnknownFormatVersion() {
        byte[] bytes = serde.serializer().serialize("t", new PendingRecord(new byte[]{1}, new byte[]{2}, 0,
                new RecordHeaders(), new DeadLetters.Source("x", 0, 0), 1));
        bytes[0] = 9;
        var e = assertThrows(IllegalStateException.class, () -> serde.deserializer().deserialize("t", bytes));
        assertEquals(true, e.getMessage().contains("format version 9"));
    }
}
