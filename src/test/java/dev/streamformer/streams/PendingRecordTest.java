package dev.streamformer.streams;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void anUnknownFormatVersionComesBackUnreadableNotAsAnException() {
        byte[] bytes = serde.serializer().serialize("t", new PendingRecord(new byte[]{1}, new byte[]{2}, 0,
                new RecordHeaders(), new DeadLetters.Source("x", 0, 0), 1));
        bytes[0] = 9;
        PendingRecord read = serde.deserializer().deserialize("app-pending-batch-changelog", bytes);
        assertNotNull(read.unreadable());
        assertTrue(read.unreadable().contains("format version 9 and this build reads 1"), read.unreadable());
        assertArrayEquals(bytes, read.value(), "the raw changelog bytes, for the dead-letter topic");
        assertEquals("app-pending-batch-changelog", read.source().topic());
        assertArrayEquals(bytes, serde.serializer().serialize("t", read), "written back unchanged");
    }

    @Test
    void corruptOrTruncatedBytesComeBackUnreadable() {
        byte[] good = serde.serializer().serialize("t", new PendingRecord(new byte[]{1}, "{\"text\":\"a\"}".getBytes(UTF_8), 5,
                new RecordHeaders(), new DeadLetters.Source("x", 0, 0), 1));
        byte[] hugeLength = good.clone();
        hugeLength[1] = 0x7f; // the key length's top byte: a 2 GB key
        for (byte[] bad : List.of(new byte[]{1}, Arrays.copyOf(good, good.length - 3), Arrays.copyOf(good, good.length + 2),
                hugeLength, "{\"text\":\"not our layout\"}".getBytes(UTF_8), new byte[0])) {
            PendingRecord read = serde.deserializer().deserialize("c", bad);
            assertNotNull(read.unreadable(), Arrays.toString(bad));
            assertTrue(read.unreadable().startsWith("A pending-batch record in c "), read.unreadable());
        }
        assertNull(serde.deserializer().deserialize("c", good).unreadable());
    }
}
