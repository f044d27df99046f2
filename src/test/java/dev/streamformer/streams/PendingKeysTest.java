package dev.streamformer.streams;

import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingKeysTest {

    /** The bytes Kafka's own LongSerializer wrote into changelogs before the store kept raw keys. */
    @Test
    void keysAreWhatLongSerializerWritesAndReadBack() {
        try (var longs = new LongSerializer()) {
            for (long n : List.of(0L, 1L, 255L, 256L, 1L << 40, Long.MAX_VALUE - 1)) {
                assertArrayEquals(longs.serialize("t", n), PendingKeys.of(n).get(), Long.toString(n));
                assertEquals(n, PendingKeys.sequence(Bytes.wrap(longs.serialize("t", n))));
            }
        }
    }

    @Test
    void byteOrderIsNumericOrderForSequenceNumbers() {
        List<Long> numbers = List.of(0L, 1L, 127L, 128L, 255L, 256L, 65_535L, 1L << 32, 1L << 56);
        for (int i = 1; i < numbers.size(); i++) {
            assertTrue(PendingKeys.of(numbers.get(i - 1)).compareTo(PendingKeys.of(numbers.get(i))) < 0, numbers.get(i).toString());
        }
    }

    @Test
    void keysThatAreNotSequenceNumbersAreNamed() {
        for (byte[] bad : List.of(new byte[0], new byte[]{1, 2, 3}, new byte[12],
                new byte[]{-1, -1, -1, -1, -1, -1, -1, -1}, new byte[]{0x7f, -1, -1, -1, -1, -1, -1, -1})) {
            assertEquals(PendingKeys.NOT_A_SEQUENCE, PendingKeys.sequence(Bytes.wrap(bad)), java.util.Arrays.toString(bad));
        }
        assertEquals("A pending-batch record in c has a key that is 3 bytes long instead of 8, so it was dead-lettered with its raw key"
                + " and value: check what else writes to that changelog topic.", PendingKeys.whyNot(Bytes.wrap(new byte[3]), "c"));
        assertTrue(PendingKeys.whyNot(Bytes.wrap(new byte[]{-1, -1, -1, -1, -1, -1, -1, -1}), "c").contains("not a sequence number (-1)"));
    }
}
