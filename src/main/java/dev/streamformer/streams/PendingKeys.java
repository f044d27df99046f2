package dev.streamformer.streams;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;

/**
 * The keys of the pending-batch store: a per-task sequence number as 8 big-endian bytes (what Kafka's
 * {@code LongSerializer} writes, so changelogs of earlier versions read the same). The store keeps them as raw
 * {@link Bytes} rather than {@code Long}s so that a changelog key that is not a sequence number (corrupt, or written by
 * something else) is a dead letter at restore instead of a {@code SerializationException} that fails the task at
 * every restart. Non-negative big-endian longs sort in RocksDB's byte order as they do as numbers, so a range of keys
 * is a range of sequence numbers.
 */
final class PendingKeys {

    /** What {@link #sequence} returns for a key that is not a sequence number. */
    static final long NOT_A_SEQUENCE = -1;

    private PendingKeys() {}

    /** The store key of sequence number {@code sequence} (≥ 0). */
    static Bytes of(long sequence) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(sequence).array());
    }

    /** The sequence number in {@code key}, or {@link #NOT_A_SEQUENCE} when it is not 8 bytes holding one (0 ≤ n < Long.MAX_VALUE). */
    static long sequence(Bytes key) {
        byte[] bytes = key.get();
        if (bytes.length != Long.BYTES) {
            return NOT_A_SEQUENCE;
        }
        long sequence = ByteBuffer.wrap(bytes).getLong();
        return sequence < 0 || sequence == Long.MAX_VALUE ? NOT_A_SEQUENCE : sequence;
    }

    /** One sentence for the dead-letter header: why {@code key} (not a sequence number) was set aside. */
    static String whyNot(Bytes key, String changelog) {
        byte[] bytes = key.get();
        String what = bytes.length != Long.BYTES ? bytes.length + " bytes long instead of 8"
                : "not a sequence number (" + ByteBuffer.wrap(bytes).getLong() + ")";
        return "A pending-batch record in " + changelog + " has a key that is " + what + ", so it was dead-lettered with its"
                + " raw key and value: check what else writes to that changelog topic.";
    }
}
