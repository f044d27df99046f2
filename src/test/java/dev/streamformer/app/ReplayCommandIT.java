package dev.streamformer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.streams.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code streamformer replay --from-dlq}: dead letters back into the input with their own headers, once each across runs. */
class ReplayCommandIT {

    private static void produceDeadLetters(String bootstrap, int from, int count) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < from + count; i++) {
                var headers = new RecordHeaders();
                headers.add("traceparent", ("00-4bf92f3577b34da6a3ce929d0e0e47" + String.format("%02d", i) + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
                headers.add(DeadLetters.STAGE, "parse".getBytes(StandardCharsets.UTF_8));
                headers.add(DeadLetters.REASON, "malformed-json".getBytes(StandardCharsets.UTF_8));
                headers.add(DeadLetters.SOURCE_OFFSET, "17".getBytes(StandardCharsets.UTF_8));
                headers.add(DeadLetters.KIP1034_EXCEPTION, "x".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>("in.dlq", i % 2, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("{\"text\":\"event " + i + "\"}").getBytes(StandardCharsets.UTF_8), headers));
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        var out = new ArrayList<ConsumerRecord<byte[], byte[]>>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var tp = new TopicPartition("in", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void replaysEachDeadLetterOnceAcrossRunsWithItsOwnHeaders() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(2, "in.dlq");
            broker.createTopics(1, "in");
            produceDeadLetters(bootstrap, 0, 5);
            String[] args = {"replay", "--from-dlq", "in.dlq", "--to", "in", "--bootstrap-servers", bootstrap};
            assertEquals(0, Main.commandLine().execute(args));
            List<ConsumerRecord<byte[], byte[]>> replayed = readAll(bootstrap);
            assertEquals(5, replayed.size());
            for (var r : replayed) {
                assertNull(header(r, DeadLetters.STAGE));
                assertNull(header(r, DeadLetters.REASON));
                assertNull(header(r, DeadLetters.SOURCE_OFFSET));
                assertNull(header(r, DeadLetters.KIP1034_EXCEPTION));
                String i = new String(r.key(), StandardCharsets.UTF_8).substring(1);
                assertEquals("{\"text\":\"event " + i + "\"}", new String(r.value(), StandardCharsets.UTF_8), "the original bytes");
                assertEquals(String.format("%02d", Integer.parseInt(i)), header(r, "traceparent").substring(33, 35), "its own headers stay");
            }

            assertEquals(0, Main.commandLine().execute(args), "a second run");
            assertEquals(5, readAll(bootstrap).size(), "nothing twice");

            produceDeadLetters(bootstrap, 5, 3);
            // a corrupt pending-batch record (stage restore) holds changelog bytes, not an event: skipped, not replayed
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                var headers = new RecordHeaders();
                headers.add(DeadLetters.STAGE, "restore".getBytes(StandardCharsets.UTF_8));
                headers.add(DeadLetters.REASON, "corrupt-pending-record".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>("in.dlq", 0, (byte[]) null, new byte[]{1, 0, 0, 0, 3, 42}, headers));
                producer.flush();
            }
            assertEquals(0, Main.commandLine().execute(args));
            List<ConsumerRecord<byte[], byte[]>> all = readAll(bootstrap);
            assertEquals(8, all.size(), "only the new dead letters, not the corrupt pending-batch record");
            var sources = new TreeSet<String>();
            all.forEach(r -> sources.add(header(r, ReplayCommand.REPLAYED_FROM)));
            assertEquals(8, sources.size(), "each dead letter once: " + sources);
        }
    }
}
