package dev.streamformer.streams;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lag metric against a real broker: records produced and offsets committed by hand give the expected figure. */
class CommittedLagIT {

    @Test
    void lagIsLogEndMinusCommittedAndCountsUncommittedPartitionsFromTheStart(@TempDir Path dir) throws Exception {
        QuietKafkaLogs.apply();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
            broker.createTopics(3, "lag-in", "lag-out");
            int[] perPartition = {50, 30, 20};
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int p = 0; p < perPartition.length; p++) {
                    for (int i = 0; i < perPartition[p]; i++) {
                        producer.send(new ProducerRecord<>("lag-in", p, null, new byte[] {(byte) i})).get();
                    }
                }
            }
            // the application "lag-app" has done 10 of partition 0, all 30 of partition 1, nothing of partition 2
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "lag-app"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.commitSync(Map.of(new TopicPartition("lag-in", 0), new OffsetAndMetadata(10),
                        new TopicPartition("lag-in", 1), new OffsetAndMetadata(30)));
            }
            try (var lag = new CommittedLag(config(broker.bootstrapServers(), dir))) {
                KafkaTestSupport.await(() -> !Double.isNaN(lag.records()), Duration.ofSeconds(30), "the first lag reading");
                assertEquals(40 + 0 + 20, lag.records());
            }
        }
    }

    @Test
    void lagIsNaNWhenKafkaCannotBeReached(@TempDir Path dir) throws Exception {
        int closedPort = KafkaTestSupport.freePort();
        try (var lag = new CommittedLag(config("127.0.0.1:" + closedPort, dir))) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertTrue(Double.isNaN(lag.records()));
                Thread.sleep(3_000);
            }
            // three readings of at most 1 s each, plus the sleeps
            assertTrue(System.nanoTime() - start < 13_000_000_000L, "a scrape must not hang on an unreachable Kafka");
        }
    }

    private static PipelineConfig config(String bootstrap, Path dir) {
        return PipelineConfig.builder().inputTopic("lag-in").outputTopic("lag-out")
                .streamsConfig("bootstrap.servers", bootstrap)
                .streamsConfig("application.id", "lag-app")
                .streamsConfig("state.dir", dir.resolve("state").toString())
                .build();
    }
}
