package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        QuietKafkaLogs.apply();
        broker = EmbeddedKafkaBroker.start(0, null);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

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
    void aMissingInputTopicIsACleanErrorAtStart() {
        PipelineConfig config = PipelineConfig.builder().inputTopic("no-such-topic").outputTopic("x")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers()).build();
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task)) {
            var e = assertThrows(IllegalStateException.class, pipeline::start);
            assertEquals("The input topic 'no-such-topic' does not exist on " + broker.bootstrapServers()
                    + ": create it (kafka-topics.sh --create --topic no-such-topic) or fix the name.", e.getMessage());
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
