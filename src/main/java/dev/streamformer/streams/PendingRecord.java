package dev.streamformer.streams;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Record;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A valid input record waiting in the pending batch: everything needed to enrich it later, or to dead-letter
 * it, after a crash or on another instance. It is the value of the changelogged batch store, so it holds the
 * original bytes and coordinates, not parsed objects.
 *
 * <p>A changelog value that cannot be read back (corrupt bytes, or the layout of another version) does not throw:
 * it comes back as an {@linkplain #unreadable() unreadable} record holding the raw bytes as its value, and the
 * batch processor sends it to the dead-letter topic ({@value #CORRUPT}) instead of failing the task on every restore.
 *
 * @param key        original key bytes (may be null)
 * @param value      original value bytes (a valid event in the stage's value format); for an unreadable record, the
 *                   changelog bytes
 * @param tokens     the text's token count, as the task counted it
 * @param unreadable null for a record read back intact; else one sentence saying why it cannot be read
 */
public record PendingRecord(byte[] key, byte[] value, long timestamp, Headers headers,
                            DeadLetters.Source source, int tokens, String unreadable) {

    /** The dead-letter reason of a pending-batch changelog record that cannot be read. */
    public static final String CORRUPT = "corrupt-pending-record";

    private static final byte FORMAT_VERSION = 1;

    /** A readable record. */
    public PendingRecord(byte[] key, byte[] value, long timestamp, Headers headers, DeadLetters.Source source, int tokens) {
        this(key, value, timestamp, headers, source, tokens, null);
    }

    /** This record with its text's token count. */
    PendingRecord withTokens(int count) {
        return new PendingRecord(key, value, timestamp, headers, source, count, unreadable);
    }

    /** This record with other headers (e.g. a trace context added). */
    PendingRecord withHeaders(Headers replaced) {
        return new PendingRecord(key, value, timestamp, replaced, source, tokens, unreadable);
    }

    /** This record with other source coordinates. */
    PendingRecord withSource(DeadLetters.Source replaced) {
        return new PendingRecord(key, value, timestamp, headers, replaced, tokens, unreadable);
    }

    /** A changelog value that cannot be read: its bytes, the changelog topic as source, and why. */
    static PendingRecord unreadable(String topic, byte[] data, String why) {
        return new PendingRecord(null, data, System.currentTimeMillis(), new RecordHeaders(),
                new DeadLetters.Source(topic == null ? "unknown" : topic, -1, -1), 0, why);
    }

    /** The original input record: key, value bytes, timestamp and headers. */
    Record<byte[], byte[]> original() {
        return new Record<>(key, value, timestamp, headers);
    }

    /** Binary serde for the store and its changelog: a version byte, then the fields in order. */
    public static Serde<PendingRecord> serde() {
        return Serdes.serdeFrom(new PendingSerializer(), new PendingDeserializer());
    }

    private static final class PendingSerializer implements Serializer<PendingRecord> {
        @Override
        public byte[] serialize(String topic, PendingRecord r) {
            if (r == null) {
                return null;
            }
            if (r.unreadable != null) {
                return r.value; // written back as it was read (the store only ever deletes it)
            }
            var bytes = new ByteArrayOutputStream(r.value.length + 128);
            try (var out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT_VERSION);
                writeBytes(out, r.key);
                writeBytes(out, r.value);
                out.writeLong(r.timestamp);
                Header[] headers = r.headers.toArray();
                out.writeInt(headers.length);
                for (Header h : headers) {
                    out.writeUTF(h.key());
                    writeBytes(out, h.value());
                }
                out.writeUTF(r.source.topic());
                out.writeInt(r.source.partition());
                out.writeLong(r.source.offset());
                out.writeInt(r.tokens);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    private static final class PendingDeserializer implements Deserializer<PendingRecord> {
        @Override
        public PendingRecord deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != FORMAT_VERSION) {
                    return unreadable(topic, data, "A pending-batch record in " + topic + " has format version " + version
                            + " and this build reads " + FORMAT_VERSION + ", so it was written by another Streamformer version: "
                            + "replay its dead-lettered bytes with that version, and finish pending batches before switching versions.");
                }
                byte[] key = readBytes(in);
                byte[] value = readBytes(in);
                long timestamp = in.readLong();
                var headers = new RecordHeaders();
                int count = in.readInt();
                if (count < 0 || count > data.length) {
                    throw new IOException("header count " + count);
                }
                for (int i = 0; i < count; i++) {
                    headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
                }
                var source = new DeadLetters.Source(in.readUTF(), in.readInt(), in.readLong());
                int tokens = in.readInt();
                if (value == null || in.available() > 0) {
                    throw new IOException(value == null ? "no value" : in.available() + " bytes left over");
                }
                return new PendingRecord(key, value, timestamp, headers, source, tokens);
            } catch (IOException | RuntimeException e) {
                return unreadable(topic, data, "A pending-batch record in " + topic + " is corrupt (" + e
                        + "), so it was dead-lettered with its raw bytes: check what else writes to that changelog topic.");
            }
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < -1 || length > in.available()) {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        return length < 0 ? null : in.readNBytes(length);
    }
}
