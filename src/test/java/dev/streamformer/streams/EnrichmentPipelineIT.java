package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.streamformer.streams.KafkaTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pipeline on a real KRaft broker with real transactions: 10,000 events, 2 % bad, every good one exactly once
 * in the output and every bad one in the dead-letter topic, read back by an independent read_committed consumer.
 */
class EnrichmentPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(EnrichmentPipelineIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void tenThousandEventsExactlyOnceWithBadOnesDeadLettered(@TempDir Path stateDir) throws Exception {
        int count = Integer.getInteger("streamformer.it.records", 10_000);
        broker.createTopics(2, "events", "events.enriched", "events.dlq");
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), "events",
                KafkaTestSupport.events(count));
        long bad = produced.stream().filter(KafkaTestSupport.Produced::bad).count();

        PipelineConfig config = PipelineConfig.builder()
                .inputTopic("events").outputTopic("events.enriched")
                .batching(new PipelineConfig.Batching(2048, 64, Duration.ofMillis(50)))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-enrich")
                .streamsConfig("state.dir", stateDir.toString())
                .build();
        long start = System.nanoTime();
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "events.enriched", "events.dlq")) {
            pipeline.start();
            reader.readAtLeast(count, Duration.ofSeconds(90), Duration.ofSeconds(2));
            double seconds = (System.nanoTime() - start) / 1e9;
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("events.enriched");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("events.dlq");
            log.info("{} events ({} bad) in {} s: {} out, {} dead letters {}, counters {}", count, bad,
                    String.format("%.1f", seconds), output.size(), dead.size(), ExactlyOnceCheck.reasons(dead), pipeline.counters());

            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(count - bad, output.size());
            assertEquals(bad, dead.size());
            assertEnrichedAsTheTaskSays(produced, output);
            assertEquals((int) (bad / 6), ExactlyOnceCheck.reasons(dead).get("infer/model-failure"), "each text the task fails on");
        }
    }

    @Test
    void aWaitingRecordSurvivesACleanRestartAndIsCheckedAgainstTheNewRules(@TempDir Path stateDir) throws Exception {
        broker.createTopics(1, "rules-in", "rules-out", "rules-in.dlq");
        KafkaTestSupport.produce(broker.bootstrapServers(), "rules-in", List.of(
                new KafkaTestSupport.Event("long", ("{\"text\":\"" + "x".repeat(500) + "\"}").getBytes(StandardCharsets.UTF_8), false)));
        PipelineConfig.Builder rules = PipelineConfig.builder().inputTopic("rules-in").outputTopic("rules-out")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-rules")
                .streamsConfig("state.dir", stateDir.toString());

        // first run: a 500-byte text is valid and waits in the batch (a long max wait keeps it there); clean close
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(rules.maxTextBytes(1000)
                .batching(new PipelineConfig.Batching(4096, 100, Duration.ofMinutes(10))).build(), task)) {
            pipeline.start();
            KafkaTestSupport.await(() -> pipeline.counters().recordsIn() == 1, Duration.ofSeconds(60), "the record to be read");
            assertEquals(List.of(), task.callSizes());
            // no wait for a periodic commit (commit.interval.ms is 1,000 here): the clean close below commits the open
            // transaction, which puts the waiting record into the changelog; the restart asserts it came back from there
        }
        // restart with a 100-byte limit: the restored record is dead-lettered at flush, not run, not lost
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(rules.maxTextBytes(100)
                .batching(new PipelineConfig.Batching(4096, 100, Duration.ofMillis(50))).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "rules-out", "rules-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(1, Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertEquals(1, pipeline.counters().restoredPending());
            assertEquals(List.of(), task.callSizes());
            ConsumerRecord<byte[], byte[]> dead = reader.from("rules-in.dlq").getFirst();
            assertEquals("long", string(dead.key()));
            assertEquals("text-too-long", KafkaTestSupport.header(dead, DeadLetters.REASON));
            assertEquals(List.of(), reader.from("rules-out"));
        }
    }

    /**
     * Pending-batch changelog values this build cannot read (corrupt bytes, another version's layout) are dead-lettered
     * at the flush after the restore, with their raw bytes; the good pending records around them are enriched exactly
     * once, and a further restart meets neither again (no crash loop, no second dead letter).
     */
    @Test
    void unreadablePendingRecordsInTheChangelogAreDeadLetteredAndTheRestRunOnce(@TempDir Path stateDir) throws Exception {
        broker.createTopics(1, "poison-in", "poison-out", "poison-in.dlq");
        String changelog = "it-poison-" + BatchInferenceProcessor.PENDING_STORE + "-changelog";
        var produced = new java.util.ArrayList<>(KafkaTestSupport.produce(broker.bootstrapServers(), "poison-in", List.of(
                new KafkaTestSupport.Event("p0", "{\"text\":\"first waiting\"}".getBytes(StandardCharsets.UTF_8), false),
                new KafkaTestSupport.Event("p1", "{\"text\":\"second waiting\"}".getBytes(StandardCharsets.UTF_8), false))));
        PipelineConfig.Builder poison = PipelineConfig.builder().inputTopic("poison-in").outputTopic("poison-out")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-poison")
                .streamsConfig("state.dir", stateDir.toString());
        var flushSoon = new PipelineConfig.Batching(4096, 100, Duration.ofMillis(50));

        // first run: both records wait in the batch (a long max wait keeps them there); the clean close commits them
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(poison
                .batching(new PipelineConfig.Batching(4096, 100, Duration.ofMinutes(10))).build(), task)) {
            pipeline.start();
            KafkaTestSupport.await(() -> pipeline.counters().recordsIn() == 2, Duration.ofSeconds(60), "the records to be read");
            assertEquals(List.of(), task.callSizes());
        }
        // between runs, two values this build cannot read join them in the changelog (sequence keys 2 and 3)
        byte[] garbage = {1, 0, 0, 0, 3, 42};
        byte[] otherVersion = new byte[40];
        otherVersion[0] = 9;
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                broker.bootstrapServers()), new org.apache.kafka.common.serialization.LongSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(changelog, 0, 2L, garbage)).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(changelog, 0, 3L, otherVersion)).get();
        }
        produced.addAll(KafkaTestSupport.produce(broker.bootstrapServers(), "poison-in", List.of(
                new KafkaTestSupport.Event("p2", "{\"text\":\"after the restart\"}".getBytes(StandardCharsets.UTF_8), false))));

        // second run: 4 restored, the two unreadable ones dead-lettered, the good ones and the new one enriched once
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(poison.batching(flushSoon).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "poison-out", "poison-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(5, Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            assertEquals(4, pipeline.counters().restoredPending());
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("poison-out"), List.of());
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("poison-in.dlq");
            assertEquals(2, dead.size(), "dead letters: " + ExactlyOnceCheck.reasons(dead));
            for (ConsumerRecord<byte[], byte[]> d : dead) {
                assertEquals("restore", KafkaTestSupport.header(d, DeadLetters.STAGE));
                assertEquals(PendingRecord.CORRUPT, KafkaTestSupport.header(d, DeadLetters.REASON));
                assertEquals(changelog, KafkaTestSupport.header(d, DeadLetters.SOURCE_TOPIC));
                assertEquals("0", KafkaTestSupport.header(d, DeadLetters.SOURCE_PARTITION));
            }
            assertEquals(List.of(java.util.HexFormat.of().formatHex(garbage), java.util.HexFormat.of().formatHex(otherVersion)),
                    dead.stream().map(d -> java.util.HexFormat.of().formatHex(d.value())).toList(), "the raw changelog bytes, in order");
            assertEquals(true, KafkaTestSupport.header(dead.get(1), DeadLetters.MESSAGE).contains("format version 9"),
                    KafkaTestSupport.header(dead.get(1), DeadLetters.MESSAGE));
        }

        // third run: the unreadable values were deleted with their batch, so nothing is restored or dead-lettered again
        produced.addAll(KafkaTestSupport.produce(broker.bootstrapServers(), "poison-in", List.of(
                new KafkaTestSupport.Event("p3", "{\"text\":\"third run\"}".getBytes(StandardCharsets.UTF_8), false))));
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(poison.batching(flushSoon).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "poison-out", "poison-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(6, Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertEquals(0, pipeline.counters().restoredPending());
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("poison-out"), List.of());
            assertEquals(2, reader.from("poison-in.dlq").size());
        }
    }

    /**
     * Pending-batch changelog keys that are not sequence numbers (empty, 3 bytes, 12 bytes, a negative long; written
     * here as raw bytes) used to fail the task at every restore with Kafka's "Size of data received by LongDeserializer
     * is not 8": now each is dead-lettered with its raw key and value at the flush after the restore, and deleted, while
     * the good pending record is enriched exactly once; a third run restores and dead-letters nothing.
     */
    @Test
    void pendingRecordsWithCorruptKeysInTheChangelogAreDeadLetteredAndTheRestRunOnce(@TempDir Path stateDir) throws Exception {
        broker.createTopics(1, "badkey-in", "badkey-out", "badkey-in.dlq");
        String changelog = "it-badkey-" + BatchInferenceProcessor.PENDING_STORE + "-changelog";
        var produced = new java.util.ArrayList<>(KafkaTestSupport.produce(broker.bootstrapServers(), "badkey-in", List.of(
                new KafkaTestSupport.Event("k0", "{\"text\":\"waiting\"}".getBytes(StandardCharsets.UTF_8), false))));
        PipelineConfig.Builder badKey = PipelineConfig.builder().inputTopic("badkey-in").outputTopic("badkey-out")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-badkey")
                .streamsConfig("state.dir", stateDir.toString());
        var flushSoon = new PipelineConfig.Batching(4096, 100, Duration.ofMillis(50));

        // first run: the record waits in the batch (a long max wait keeps it there); the clean close commits it
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(badKey
                .batching(new PipelineConfig.Batching(4096, 100, Duration.ofMinutes(10))).build(), task)) {
            pipeline.start();
            KafkaTestSupport.await(() -> pipeline.counters().recordsIn() == 1, Duration.ofSeconds(60), "the record to be read");
            assertEquals(List.of(), task.callSizes());
        }
        // between runs, four records whose keys are not 8-byte sequence numbers join it in the changelog; their values:
        // the changelog value of the good record (copied from the changelog itself), and three made-up ones
        byte[] goodValue = changelogValues(changelog).getFirst();
        var hex = java.util.HexFormat.of();
        Map<String, byte[]> badRecords = new java.util.LinkedHashMap<>();
        badRecords.put("", new byte[]{1, 2});
        badRecords.put("010203", goodValue);
        badRecords.put("000000000000000000000001", new byte[]{7});
        badRecords.put("ffffffffffffffff", new byte[]{1, 0, 0, 0, 3, 42});
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                broker.bootstrapServers()), new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (var bad : badRecords.entrySet()) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(changelog, 0, hex.parseHex(bad.getKey()), bad.getValue())).get();
            }
        }
        produced.addAll(KafkaTestSupport.produce(broker.bootstrapServers(), "badkey-in", List.of(
                new KafkaTestSupport.Event("k1", "{\"text\":\"after the restart\"}".getBytes(StandardCharsets.UTF_8), false))));

        // second run: 5 restored; the four bad keys dead-lettered with their raw bytes, the good one and the new one enriched once
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(badKey.batching(flushSoon).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "badkey-out", "badkey-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(6, Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            assertEquals(5, pipeline.counters().restoredPending());
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("badkey-out"), List.of());
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("badkey-in.dlq");
            assertEquals(4, dead.size(), "dead letters: " + ExactlyOnceCheck.reasons(dead));
            Map<String, String> deadBytes = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> d : dead) {
                assertEquals("restore", KafkaTestSupport.header(d, DeadLetters.STAGE));
                assertEquals(PendingRecord.CORRUPT, KafkaTestSupport.header(d, DeadLetters.REASON));
                assertEquals(changelog, KafkaTestSupport.header(d, DeadLetters.SOURCE_TOPIC));
                assertEquals("0", KafkaTestSupport.header(d, DeadLetters.SOURCE_PARTITION));
                deadBytes.put(hex.formatHex(d.key()), hex.formatHex(d.value()));
            }
            Map<String, String> written = new HashMap<>();
            badRecords.forEach((key, value) -> written.put(key, hex.formatHex(value)));
            assertEquals(written, deadBytes, "each bad record's raw key and value");
            assertEquals(true, dead.stream().anyMatch(d -> KafkaTestSupport.header(d, DeadLetters.MESSAGE).contains("3 bytes long instead of 8")),
                    "a message names the 3-byte key");
        }

        // third run: the bad keys were deleted (tombstones in the changelog), so nothing is restored or dead-lettered again
        produced.addAll(KafkaTestSupport.produce(broker.bootstrapServers(), "badkey-in", List.of(
                new KafkaTestSupport.Event("k2", "{\"text\":\"third run\"}".getBytes(StandardCharsets.UTF_8), false))));
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(badKey.batching(flushSoon).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "badkey-out", "badkey-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(7, Duration.ofSeconds(60), Duration.ofSeconds(1));
            assertEquals(0, pipeline.counters().restoredPending());
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("badkey-out"), List.of());
            assertEquals(4, reader.from("badkey-in.dlq").size());
        }
    }

    /** The committed values of a changelog topic's partition 0, read by a plain read_committed consumer. */
    private static List<byte[]> changelogValues(String topic) {
        var props = new java.util.Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("isolation.level", "read_committed");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            var values = new java.util.ArrayList<byte[]>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> { if (r.value() != null) values.add(r.value()); });
            }
            assertEquals(1, values.size(), "the one waiting record in " + topic);
            return values;
        }
    }

    @Test
    void aMissingInputTopicIsACleanErrorAtStart() {
        PipelineConfig config = PipelineConfig.builder().inputTopic("no-such-topic").outputTopic("x")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers()).build();
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task)) {
            var e = assertThrows(IllegalStateException.class, pipeline::start);
            assertEquals("The input topic 'no-such-topic' does not exist on " + broker.bootstrapServers()
                    + ": create it (./streamformer broker --topic no-such-topic:2 starts a broker with it; on a cluster: kafka-topics.sh"
                    + " --bootstrap-server " + broker.bootstrapServers() + " --create --topic no-such-topic) or fix the name.", e.getMessage());
        }
    }

    /** Each output is its input object plus the test task's fields and the model id; key and partition kept. */
    private static void assertEnrichedAsTheTaskSays(List<KafkaTestSupport.Produced> produced,
                                                    List<ConsumerRecord<byte[], byte[]>> output) throws Exception {
        Map<String, KafkaTestSupport.Produced> byId = new HashMap<>();
        produced.forEach(p -> byId.put(p.id(), p));
        for (ConsumerRecord<byte[], byte[]> record : output) {
            KafkaTestSupport.Produced input = byId.get(string(record.key()));
            ObjectNode expected = (ObjectNode) JSON.readTree(input.value());
            expected.setAll(TextStatsTask.stats(expected.get("text").asText()));
            expected.put("model", "test/text-stats");
            JsonNode actual = JSON.readTree(record.value());
            assertEquals(expected, actual, input.id());
            assertEquals(input.partition(), record.partition(), "same key, same partition count: same partition");
        }
    }
}
