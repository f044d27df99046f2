package dev.streamformer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterTailTest {

    @Test
    void aDeadLetterKeepsItsHeadersAsTextWithoutTheStackTraceAndIsCut() {
        var record = new ConsumerRecord<>("events.dlq", 2, 42L, "k".getBytes(StandardCharsets.UTF_8),
                "x".repeat(5000).getBytes(StandardCharsets.UTF_8));
        record.headers().add("streamformer.error.reason", "malformed-json".getBytes(StandardCharsets.UTF_8));
        record.headers().add("streamformer.error.message", "m".repeat(900).getBytes(StandardCharsets.UTF_8));
        record.headers().add(DeadLetterTail.STACKTRACE, "at a.b.C".repeat(1000).getBytes(StandardCharsets.UTF_8));
        DeadLetterFeed.DeadLetter d = DeadLetterTail.toDeadLetter(record);
        assertEquals("events.dlq", d.topic());
        assertEquals(2, d.partition());
        assertEquals(42L, d.offset());
        assertEquals("malformed-json", d.headers().get("streamformer.error.reason"));
        assertFalse(d.headers().containsKey(DeadLetterTail.STACKTRACE));
        assertEquals(DeadLetterFeed.MAX_HEADER_CHARS + 1, d.headers().get("streamformer.error.message").length());
        assertEquals(DeadLetterFeed.MAX_VALUE_CHARS + 1, d.value().length());
        assertTrue(d.value().endsWith("…"));
    }

    @Test
    void theFeedKeepsTheLastOnes() {
        var feed = new DeadLetterFeed(3);
        for (int i = 0; i < 10; i++) {
            feed.push(new DeadLetterFeed.DeadLetter(java.time.Instant.EPOCH, "t", 0, i, null, null, java.util.Map.of()));
        }
        assertEquals(10, feed.seen());
        assertEquals(java.util.List.of(9L, 8L, 7L), feed.latest().stream().map(DeadLetterFeed.DeadLetter::offset).toList());
    }
}
