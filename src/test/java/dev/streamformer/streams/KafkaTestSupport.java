package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Independent Kafka clients for the integration tests: a plain producer for the input and a
 * {@code read_committed} consumer for the output and dead-letter topics (not the pipeline's own code).
 */
final class KafkaTestSupport {

    private KafkaTestSupport() {}

    /** One input event as produced, with where it landed. */
    record Produced(String id, byte[] value, boolean bad, int partition, long offset) {}

    /** An event to produce: its id (also the record key) and value bytes. */
    record Event(String id, byte[] value, boolean bad) {}

    /**
     * {@code count} events {@code {"id":"e<i>","text":...,"seq":i}} with synthetic texts; every 50th is bad (2 %),
     * cycling through malformed JSON, invalid UTF-8, missing text, empty text, a number as text, and a text the
     * test task fails on.
     */
    static List<Event> events(int count) {
        return events(count, i -> "Event " + i + " says " + "hello stream ".repeat(1 + i % 7), true);
    }

    /**
     * Like {@link #events(int)}, with the good texts from {@code texts}; without {@code taskFailures} the bad events
     * are only the five invalid inputs (for a real model, which does not know the test task's fail marker).
     */
    static List<Event> events(int count, IntFunction<String> texts, boolean taskFailures) {
        var events = new ArrayList<Event>(count);
        for (int i = 0; i < count; i++) {
            String id = "e" + i;
            if (i % 50 == 49) {
                events.add(new Event(id, badValue(id, (i / 50) % (taskFailures ? 6 : 5)), true));
            } else {
                events.add(new Event(id, json(id, texts.apply(i), i), false));
            }
        }
        return events;
    }

    private static byte[] json(String id, String text, int seq) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("text", text).put("seq", seq).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] badValue(String id, int kind) {
        return switch (kind) {
            case 0 -> ("{\"id\":\"" + id + "\",\"text\":\"cut off").getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                byte[] b = ("{\"id\":\"" + id + "\",\"text\":\"bad \u00e9 byte\"}").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == (byte) 0xC3) b[i] = (byte) 0xFF; // never valid in UTF-8
                }
                yield b;
            }
            case 2 -> ("{\"id\":\"" + id + "\",\"body\":\"no text field\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"id\":\"" + id + "\",\"text\":\"   \"}").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"id\":\"" + id + "\",\"text\":12345}").getBytes(StandardCharsets.UTF_8);
            default -> json(id, "model chokes " + TextStatsTask.FAIL_MARKER, -1);
        };
    }

    static List<Produced> produce(String bootstrap, String topic, List<Event> events) throws Exception {
        return produce(bootstrap, Map.of(), topic, events);
    }

    /** @param security client security settings (SASL), empty for none */
    static List<Produced> produce(String bootstrap, Map<String, ?> security, String topic, List<Event> events) throws Exception {
        var config = new HashMap<String, Object>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            var futures = new ArrayList<Future<RecordMetadata>>(events.size());
            for (Event e : events) {
                futures.add(producer.send(new ProducerRecord<>(topic, e.id().getBytes(StandardCharsets.UTF_8), e.value())));
            }
            var produced = new ArrayList<Produced>(events.size());
            for (int i = 0; i < events.size(); i++) {
                RecordMetadata m = futures.get(i).get();
                Event e = events.get(i);
                produced.add(new Produced(e.id(), e.value(), e.bad(), m.partition(), m.offset()));
            }
            return produced;
        }
    }

    /**
     * A read_committed consumer of all partitions of the given topics, from the beginning. It assigns the partitions
     * itself (no consumer group), so a broker restart cannot make it re-read from the start.
     */
    static final class CommittedReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        CommittedReader(String bootstrap, String... topics) {
            this(bootstrap, Map.of(), topics);
        }

        /** @param security client security settings (SASL), empty for none */
        CommittedReader(String bootstrap, Map<String, ?> security, String... topics) {
            var config = new HashMap<String, Object>(security);
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            var partitions = new ArrayList<TopicPartition>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls once and returns everything read so far. */
        List<ConsumerRecord<byte[], byte[]>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records;
        }

        List<ConsumerRecord<byte[], byte[]>> from(String topic) {
            return records.stream().filter(r -> r.topic().equals(topic)).toList();
        }

        /**
         * Reads until {@code expected} records arrived (or the timeout), then keeps reading for {@code quiet} to catch
         * any duplicate that would come late.
         */
        List<ConsumerRecord<byte[], byte[]>> readAtLeast(int expected, Duration timeout, Duration quiet) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                poll();
            }
            long quietEnd = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < quietEnd) {
                poll();
            }
            return records;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * Records waiting in pending batches according to a pending-batch changelog: keys (per partition) whose last
     * record is a value, not a tombstone.
     */
    static int livePending(List<ConsumerRecord<byte[], byte[]>> changelog) {
        var live = new java.util.HashSet<String>();
        for (ConsumerRecord<byte[], byte[]> r : changelog) {
            String key = r.partition() + "/" + java.util.HexFormat.of().formatHex(r.key());
            if (r.value() == null) live.remove(key); else live.add(key);
        }
        return live.size();
    }

    static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : string(h.value());
    }

    /** A port that was free a moment ago (and nothing listens on now). */
    static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
