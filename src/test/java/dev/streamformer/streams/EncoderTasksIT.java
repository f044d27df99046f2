package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.app.Main;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.task.XlmrHeads;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.streamformer.streams.KafkaTestSupport.header;
import static dev.streamformer.streams.KafkaTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --task rerank} and {@code --task entities} as Kafka stages on a real broker, with the heads their unit tests
 * prove against ONNX Runtime (tiny-xlmr with random heads, {@link XlmrHeads}): each good event comes out exactly once,
 * equal to what the same command gives on the command line for the same event (the same fields and order; scores
 * within 1e-5, since the stream batches the events differently), and a bad event goes to the dead-letter topic with
 * the reason the command line names.
 */
class EncoderTasksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SCORE_TOLERANCE = 1e-5;
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();
    private static List<String> texts;

    @BeforeAll
    static void readTexts() throws Exception {
        texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "shared", "reference", "ref_tiny-xlmr.jsonl"))) {
            if (!line.isBlank()) texts.add(JSON.readTree(line).get("text").asText());
        }
    }

    @Test
    void rerankStageGivesTheCommandLinesRankingsAndDeadLettersBadPassages(@TempDir Path stateDir) throws Exception {
        Map<String, String> events = new LinkedHashMap<>();
        for (int q = 0; q < 10; q++) {
            String query = texts.get(q * 4);
            events.put("r" + q, JSON.writeValueAsString(Map.of("id", "r" + q, "query", query.substring(0, Math.min(40, query.length())),
                    "passages", texts.subList(q * 4 + 1, q * 4 + 4))));
        }
        events.put("bad", "{\"id\":\"bad\",\"query\":\"wo?\",\"passages\":[\"hier\",3]}");
        String model = XlmrHeads.rerank().toString();
        TaskSpec spec = new TaskSpec("rerank", model, new EngineOptions("java", "cpu", 1), TokenBudget.DEFAULT, Overflow.TRUNCATE,
                null, null, false, 0.5f, 0f, null, null, null);
        assertStageEqualsCommandLine("rerank", spec, events, "bad", "bad-passages", stateDir,
                "rerank", "--model", model, "--engine", "java");
    }

    @Test
    void entitiesStageGivesTheCommandLinesEntitiesAndDeadLettersABadEvent(@TempDir Path stateDir) throws Exception {
        Map<String, String> events = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            events.put("t" + i, JSON.writeValueAsString(Map.of("id", "t" + i, "text", texts.get(i))));
        }
        events.put("bad", "{\"id\":\"bad\",\"text\":12345}");
        String model = XlmrHeads.entities().toString();
        TaskSpec spec = new TaskSpec("entities", model, new EngineOptions("java", "cpu", 1), TokenBudget.DEFAULT, Overflow.TRUNCATE,
                null, null, false, 0.5f, 0f, null, null, "first");
        assertStageEqualsCommandLine("entities", spec, events, "bad", "text-not-string", stateDir,
                "entities", "--model", model, "--engine", "java", "--aggregation", "first");
    }

    private static void assertStageEqualsCommandLine(String name, TaskSpec spec, Map<String, String> events, String badId,
                                                     String badReason, Path stateDir, String... cli) throws Exception {
        Map<String, JsonNode> commandLine = commandLine(String.join("\n", events.values()) + "\n", cli);
        assertEquals(events.size(), commandLine.size());
        assertEquals(badReason, commandLine.get(badId).get("reason").asText(), "the command line's reason for the bad event");

        String in = name + "-in", out = name + "-out", dlq = name + "-in.dlq";
        broker.createTopics(2, in, out, dlq);
        var produce = new ArrayList<KafkaTestSupport.Event>();
        events.forEach((id, value) -> produce.add(new KafkaTestSupport.Event(id, value.getBytes(StandardCharsets.UTF_8), id.equals(badId))));
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), in, produce);
        PipelineConfig config = PipelineConfig.builder().inputTopic(in).outputTopic(out)
                .batching(new PipelineConfig.Batching(4096, 8, Duration.ofMillis(100)))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-" + name)
                .streamsConfig("state.dir", stateDir.toString())
                .build();
        try (Task task = spec.create(); var pipeline = new Pipeline(config, task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), out, dlq)) {
            pipeline.start();
            reader.readAtLeast(events.size(), Duration.ofSeconds(120), Duration.ofSeconds(1));
            List<ConsumerRecord<byte[], byte[]>> output = reader.from(out);
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from(dlq);
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            assertEquals(badReason, header(dead.getFirst(), DeadLetters.REASON));
            int compared = 0;
            Map<String, JsonNode> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : output) byId.put(string(r.key()), JSON.readTree(r.value()));
            for (var e : byId.entrySet()) {
                assertSame(commandLine.get(e.getKey()), e.getValue(), e.getKey());
                compared++;
            }
            assertEquals(events.size() - 1, compared);
            String field = name.equals("rerank") ? "ranking" : "entities";
            int items = byId.values().stream().mapToInt(n -> n.get(field).size()).sum();
            assertTrue(items > compared, "the outputs carry results to compare: " + items + " " + field);
            System.out.printf("%s stage: %d events equal to the command line's (%d %s items), %d dead letter (%s)%n",
                    name, compared, items, field, dead.size(), badReason);
        }
    }

    /** Same fields in the same order, same strings and integers; floating-point scores within the tolerance. */
    private static void assertSame(JsonNode expected, JsonNode actual, String path) {
        if (expected.isFloatingPointNumber() || actual.isFloatingPointNumber()) {
            assertTrue(Math.abs(expected.asDouble() - actual.asDouble()) <= SCORE_TOLERANCE, path + ": " + expected + " vs " + actual);
            return;
        }
        if (expected.isContainerNode()) {
            assertEquals(expected.getNodeType(), actual.getNodeType(), path);
            assertEquals(expected.size(), actual.size(), path);
            if (expected.isObject()) {
                assertEquals(names(expected), names(actual), path);
                expected.properties().forEach(e -> assertSame(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey()));
            } else {
                for (int i = 0; i < expected.size(); i++) assertSame(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
            return;
        }
        assertEquals(expected, actual, path);
    }

    private static List<String> names(JsonNode node) {
        var names = new ArrayList<String>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    /** The command, in this JVM through picocli as {@code streamformer} runs it: id → output or error line. */
    private static synchronized Map<String, JsonNode> commandLine(String stdin, String... args) throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        var bytes = new ByteArrayOutputStream();
        int exit;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute(args);
            System.out.flush();
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        assertEquals(0, exit, "exit status of " + String.join(" ", args));
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        String[] inputs = stdin.split("\n");
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        int i = 0;
        for (String line : lines) {
            if (!line.startsWith("{")) continue;
            JsonNode node = JSON.readTree(line);
            if (i >= inputs.length) fail("more output lines than input lines: " + line);
            byId.put(JSON.readTree(inputs[i++]).get("id").asText(), node);
        }
        return byId;
    }
}
