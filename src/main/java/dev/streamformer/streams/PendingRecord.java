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
 * @param key    original key bytes (may be null)
 * @param value  original value bytes (a valid event in the stage's value format)
 * @param tokens the text's token count, as the task counted it
 */
public record PendingRecord(byte[] key, byte[] value, long timestamp, Headers headers,
                            DeadLetters.Source source, int tokens) {

    private static final byte FORMAT_VERSION = 1;

    /** This record with its text's token count. */
    PendingRecord withTokens(int count) {
        return new PendingRecord(key, value, timestamp, headers, source, count);
    }

    /** This record with other headers (e.g. a trace context added). */
    PendingRecord withHeaders(Headers replaced) {
        return new PendingRecord(key, value, timestamp, replaced, source, tokens);
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
                    throw new IllegalStateException("Pending batch record has format version " + version + ", this build reads "
                            + FORMAT_VERSION + ": finish the old pending batches with the old version before upgrading.");
                }
                byte[] key = readBytes(in);
                byte[] value = readBytes(in);
                long timestamp = in.readLong();
                var headers = new RecordHeaders();
                int count = in.readInt();
                for (int i = 0; i < count; i++) {
                    headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
                }
                var source = new DeadLetters.Source(in.readUTF(), in.readInt(), in.readLong());
                return new PendingRecord(key, value, timestamp, headers, source, in.readInt());
            } catch (IOException e) {
                throw new UncheckedIOException("Corrupt pending batch record", e);
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
        return length < 0 ? null : in.readNBytes(length);
    }
}
