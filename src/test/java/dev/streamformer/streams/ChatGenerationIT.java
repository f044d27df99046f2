package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.GenerateSpec;
import dev.streamformer.task.generate.GenerationConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topic-to-topic chat generation on a real broker with tiny-qwen3 (real Qwen3 tokenizer and chat template): events
 * carrying {@code messages} come out exactly once with the greedy ids and text of the independent reference
 * (ref_tiny-decoders_greedy.jsonl's chat rows, rendered by transformers' rules), read by a read_committed consumer;
 * a conversation that is not one goes to the dead-letter topic with its reason.
 */
class ChatGenerationIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void conversationsAreAnsweredExactlyOnceAsTheReferenceDecodes(@TempDir Path stateDir) throws Exception {
        QuietKafkaLogs.apply();
        Map<String, JsonNode> expected = new HashMap<>();
        List<KafkaTestSupport.Event> events = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "shared", "reference", "ref_tiny-decoders_greedy.jsonl"))) {
            JsonNode row = JSON.readTree(line);
            if (!row.get("model").asText().equals("tiny-qwen3") || !row.get("kind").asText().equals("chat")) continue;
            String id = "chat-" + expected.size();
            expected.put(id, row);
            ObjectNode event = JSON.createObjectNode().put("id", id);
            event.set("messages", row.get("messages"));
            events.add(new KafkaTestSupport.Event(id, JSON.writeValueAsBytes(event), false));
        }
        assertEquals(6, expected.size(), "tiny-qwen3 chat rows");
        ObjectNode bad = JSON.createObjectNode().put("id", "bad");
        bad.putArray("messages").addObject().put("role", "user");   // no content
        events.add(new KafkaTestSupport.Event("bad", JSON.writeValueAsBytes(bad), true));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            broker.createTopics(2, "tickets");
            broker.createTopics(1, "replies", "tickets.dlq");
            KafkaTestSupport.produce(broker.bootstrapServers(), "tickets", events);
            PipelineConfig config = PipelineConfig.builder().inputTopic("tickets").outputTopic("replies")
                    .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                    .streamsConfig("application.id", "it-chat")
                    .streamsConfig("state.dir", stateDir.toString())
                    .build();
            GenerateSpec generate = new GenerateSpec(GenerationConfig.greedy(16), null,
                    new ChatPrompt.ChatSettings(true, null, Map.of()), true, null);
            TaskSpec spec = new TaskSpec("generate", Path.of("..", "shared", "models", "tiny-qwen3").toString(),
                    new EngineOptions("java", "cpu", 0), TokenBudget.DEFAULT, Overflow.TRUNCATE, null, null, false, 0.5f, 0f, generate);
            try (Task task = spec.create(); Pipeline pipeline = new Pipeline(config, task);
                 var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "replies", "tickets.dlq")) {
                pipeline.start();
                List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(events.size(), Duration.ofSeconds(120), Duration.ofSeconds(2));
                Map<String, String> seenIn = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode out = JSON.readTree(r.value());
                    String id = KafkaTestSupport.string(r.key());
                    assertNull(seenIn.put(id, r.topic()), id + " came out twice");
                    if (r.topic().equals("tickets.dlq")) {
                        assertEquals("bad-messages", KafkaTestSupport.header(r, DeadLetters.REASON), id);
                        continue;
                    }
                    JsonNode row = expected.get(id);
                    List<Integer> ids = new ArrayList<>();
                    out.get("tokens").forEach(t -> ids.add(t.get("id").asInt()));
                    List<Integer> want = new ArrayList<>();
                    row.get("greedy_ids").forEach(t -> want.add(t.asInt()));
                    assertEquals(want, ids, id);
                    assertEquals(row.get("text_skip_special").asText(), out.get("generated").asText(), id);
                    assertEquals(row.get("prompt_ids").size(), out.get("prompt_tokens").asInt(), id);
                    assertTrue(out.has("messages"), "input fields kept");
                }
                assertEquals(expected.size() + 1, seenIn.size());
                assertEquals("tickets.dlq", seenIn.get("bad"));
            }
        }
    }
}
