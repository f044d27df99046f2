package dev.streamformer.app;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.model.ModelRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C after the broker went away: the pipeline stops within seconds with one sentence saying so, not after the
 * clients' 30 s of retries and a wall of their warnings.
 */
class StopWithoutBrokerIT {

    @Test
    void stoppingAfterTheBrokerWentAwayIsQuickAndOneSentence(@TempDir Path tmp) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path models = ModelRegistry.defaultCacheDir().resolve("models");
        if (Files.isDirectory(models)) Files.createSymbolicLink(home.resolve("models"), models);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, tmp.resolve("kafka"));
        try (ChildJvm run = ChildJvm.start(tmp.resolve("run.log"), Map.of("STREAMFORMER_HOME", home.toString()), List.of(),
                List.of("run", "-b", broker.bootstrapServers(), "--input-topic", "events", "--output-topic", "events.out",
                        "--task", "embed", "--no-http"))) {
            broker.createTopics(1, "events", "events.out", "events.dlq");
            run.awaitOutput("Ctrl-C to stop", Duration.ofMinutes(3));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 200; i++) producer.send(new ProducerRecord<>("events", "{\"text\": \"event number " + i + "\"}"));
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(new org.apache.kafka.common.TopicPartition("events.out", 0)));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "no output:\n" + run.output());
                }
            }
            broker.close(); // the broker goes away while the pipeline still works through its input
            Thread.sleep(3_000);
            int before = run.output().length();
            long start = System.nanoTime();
            run.close(); // SIGTERM, as Ctrl-C
            double seconds = (System.nanoTime() - start) / 1e9;
            String tail = run.output().substring(before);
            long warnings = tail.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
            System.out.printf("stopped %.1f s after SIGTERM with %d warning lines:%n%s%n", seconds, warnings, tail);
            assertTrue(seconds < 12, "took " + seconds + " s:\n" + tail);
            assertTrue(tail.contains("streamformer: Kafka at " + broker.bootstrapServers() + " does not answer; stopping without a final commit"),
                    tail);
            assertTrue(warnings <= 2, warnings + " warning lines:\n" + tail);
        } finally {
            broker.close();
        }
    }
}
