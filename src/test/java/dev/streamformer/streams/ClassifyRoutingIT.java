package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import dev.streamformer.task.TokenBudget;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Stream classification with routing on a real broker and the real fine-tuned sst2-minilm model: all 872 SST-2 dev
 * sentences go in; each must come out exactly once, in the topic of the label Hugging Face transformers gives it
 * (the argmax of the reference logits), read back by an independent read_committed consumer.
 */
class ClassifyRoutingIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyReviewLandsOnceInItsLabelsTopic(@TempDir Path stateDir) throws Exception {
        QuietKafkaLogs.apply();
        Map<String, String> expectedTopic = new HashMap<>();
        List<KafkaTestSupport.Event> events = new ArrayList<>();
        int i = 0;
        for (String line : Files.readAllLines(Path.of("..", "shared", "reference", "ref_sst2-minilm_dev.jsonl"))) {
            JsonNode ref = JSON.readTree(line);
            String id = "review-" + (i++);
            boolean positive = ref.get("logits").get(1).asDouble() > ref.get("logits").get(0).asDouble();
            expectedTopic.put(id, positive ? "reviews.positive" : "reviews.negative");
            byte[] value = JSON.writeValueAsBytes(Map.of("id", id, "text", ref.get("text").asText()));
            events.add(new KafkaTestSupport.Event(id, value, false));
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            broker.createTopics(3, "reviews");
            broker.createTopics(1, "reviews.positive", "reviews.negative", "reviews.other", "reviews.dlq");
            KafkaTestSupport.produce(broker.bootstrapServers(), "reviews", events);
            PipelineConfig config = PipelineConfig.builder().inputTopic("reviews").outputTopic("reviews.other")
                    .routing(new PipelineConfig.Routing("label", Map.of("positive", "reviews.positive", "negative", "reviews.negative")))
                    .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                    .streamsConfig("application.id", "it-route")
                    .streamsConfig("state.dir", stateDir.toString())
                    .build();
            TaskSpec spec = new TaskSpec("classify", Path.of("..", "shared", "models", "sst2-minilm").toString(), EngineOptions.DEFAULT,
                    TokenBudget.DEFAULT, Overflow.TRUNCATE, null, null, false, 0.5f, 0f, null);
            try (Task task = spec.create(); Pipeline pipeline = new Pipeline(config, task);
                 var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(),
                         "reviews.positive", "reviews.negative", "reviews.other", "reviews.dlq")) {
                pipeline.start();
                List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(events.size(), Duration.ofSeconds(120), Duration.ofSeconds(2));
                Map<String, String> seenIn = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode event = JSON.readTree(r.value());
                    String id = event.get("id").asText();
                    assertNull(seenIn.put(id, r.topic()), id + " came out twice");
                    assertEquals(r.topic().substring("reviews.".length()), event.get("label").asText(), id);
                    assertEquals(id, new String(r.key(), StandardCharsets.UTF_8), "key kept");
                }
                assertEquals(expectedTopic, seenIn);
            }
        }
    }
}
