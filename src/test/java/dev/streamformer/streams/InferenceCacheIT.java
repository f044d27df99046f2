package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference cache on a real KRaft broker with real transactions: events with many duplicate texts are computed
 * once per text and written exactly once; then a second instance with an empty state directory restores the cache
 * from its changelogs and answers the same texts without running the task at all.
 */
class InferenceCacheIT {

    private static final Logger log = LoggerFactory.getLogger(InferenceCacheIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DISTINCT_TEXTS = 40;
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    /**
     * {@code count} events {@code {"id":"<prefix><i>","text":...}}, keyed by their text's number, so that all copies of
     * one text land on one partition (the cache is per partition).
     */
    private static List<KafkaTestSupport.Event> events(String prefix, int count) {
        var events = new ArrayList<KafkaTestSupport.Event>(count);
        for (int i = 0; i < count; i++) {
            int t = (i * 7) % DISTINCT_TEXTS;
            byte[] value = JSON.createObjectNode().put("id", prefix + i).put("text", text(t)).toString().getBytes(UTF_8);
            events.add(new KafkaTestSupport.Event("t" + t, value, false));
        }
        return events;
    }

    private static String text(int t) {
        return "Cached text number " + t + " says " + "hello ".repeat(1 + t % 5);
    }

    private static PipelineConfig config(Path stateDir) {
        return PipelineConfig.builder().inputTopic("dup").outputTopic("dup.enriched")
                .batching(new PipelineConfig.Batching(2048, 16, Duration.ofMillis(50)))
                .cache(new PipelineConfig.Cache(true, 1_000))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-cache")
                .streamsConfig("state.dir", stateDir.toString())
                .build();
    }

    @Test
    void duplicateTextsRunOnceAndARestoredCacheAnswersWithoutTheModel(@TempDir Path firstState, @TempDir Path secondState)
            throws Exception {
        broker.createTopics(2, "dup", "dup.enriched", "dup.dlq");
        int first = 400;
        int second = 200;
        KafkaTestSupport.produce(broker.bootstrapServers(), "dup", events("a", first));
        try (var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "dup.enriched", "dup.dlq")) {
            var task = new TextStatsTask();
            try (var pipeline = new Pipeline(config(firstState), task, "text-stats")) {
                pipeline.start();
                reader.readAtLeast(first, Duration.ofSeconds(90), Duration.ofSeconds(2));
                log.info("cache IT, first instance: {} events, texts run {}, counters {}", first,
                        task.callSizes().stream().mapToInt(Integer::intValue).sum(), pipeline.counters());
            }
            assertEquals(DISTINCT_TEXTS, task.callSizes().stream().mapToInt(Integer::intValue).sum(), "each distinct text ran once");

            // a new instance of the same application with an empty state directory: the cache comes back from the changelogs
            KafkaTestSupport.produce(broker.bootstrapServers(), "dup", events("b", second));
            var restoredTask = new TextStatsTask();
            try (var pipeline = new Pipeline(config(secondState), restoredTask, "text-stats")) {
                pipeline.start();
                reader.readAtLeast(first + second, Duration.ofSeconds(90), Duration.ofSeconds(2));
                log.info("cache IT, restored instance: {} events, task calls {}, counters {}", second, restoredTask.callSizes(),
                        pipeline.counters());
                assertEquals(second, pipeline.counters().cacheHits());
            }
            assertEquals(List.of(), restoredTask.callSizes(), "every text came from the restored cache");

            assertEquals(List.of(), reader.from("dup.dlq"));
            assertExactlyOnceAsTheTaskSays(reader.from("dup.enriched"), first, second);
        }
    }

    private static void assertExactlyOnceAsTheTaskSays(List<ConsumerRecord<byte[], byte[]>> output, int first, int second)
            throws Exception {
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : output) {
            JsonNode event = JSON.readTree(record.value());
            String id = event.get("id").asText();
            copies.merge(id, 1, Integer::sum);
            String text = event.get("text").asText();
            ObjectNode expected = JSON.createObjectNode().put("id", id).put("text", text);
            expected.setAll(TextStatsTask.stats(text));
            expected.put("model", "test/text-stats");
            assertEquals(expected, event, id);
        }
        assertEquals(first + second, copies.size(), "every event in the output");
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "no event twice: " + copies);
    }
}
