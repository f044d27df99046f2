package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.model.ModelRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "The Kafka pipeline" commands, read from README.md and run in order as written (each in its own JVM, on free
 * ports instead of 9092/8080/8081, with {@code STREAMFORMER_HOME} in a temporary directory), with an event through each
 * pipeline. Then the same flag pipeline against a new broker: its local state from the first broker is reset, not fatal.
 */
class ReadmeKafkaStepsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofMinutes(3);

    @TempDir Path tmp;

    @Test
    void theKafkaSectionRunsTopToBottom() throws Exception {
        List<List<String>> steps = readmeSteps();
        assertEquals(4, steps.size(), "README's Kafka block changed: " + steps);
        String brokerPort = Integer.toString(freePort());
        Map<String, String> ports = Map.of("9092", brokerPort, "8080", Integer.toString(freePort()), "8081", Integer.toString(freePort()));
        Path home = home();
        String bootstrap = "localhost:" + brokerPort;

        try (ChildJvm broker = start("broker", steps.get(0), ports, home)) {
            broker.awaitOutput("Kafka broker ready", START);

            try (ChildJvm embed = start("embed", steps.get(1), ports, home)) {
                embed.awaitOutput("streamformer: running", START);
                assertTrue(embed.output().contains("application.id streamformer-events-all-minilm-l6-v2-embed, local state in "
                        + home.resolve("state")), embed.output());
                produce(bootstrap, "events", "{\"id\": 1, \"text\": \"Kafka topics carry events.\"}");
                JsonNode enriched = readOne(bootstrap, "events.enriched");
                assertEquals(384, enriched.get("embedding").size(), enriched.toString());
                assertEquals(1, enriched.get("id").asInt());

                try (ChildJvm describe = start("describe", steps.get(2), ports, home)) {
                    assertEquals(0, describe.waitFor(START), describe.output());
                    assertTrue(describe.output().contains("(topics: [reviews])"), describe.output());
                }

                try (ChildJvm reviews = start("reviews", steps.get(3), ports, home)) {
                    reviews.awaitOutput("streamformer: running", START);
                    produce(bootstrap, "reviews", "{\"text\": \"a gorgeous, witty, seductive movie\"}");
                    JsonNode routed = readOne(bootstrap, "reviews.positive");
                    assertEquals("positive", routed.get("label").asText(), routed.toString());
                }
            }
        }

        // a new broker (a temporary data directory again) knows nothing of the state the first one left behind
        String newPort = Integer.toString(freePort());
        Map<String, String> newPorts = Map.of("9092", newPort, "8080", Integer.toString(freePort()), "8081", Integer.toString(freePort()));
        try (ChildJvm broker = start("broker2", steps.get(0), newPorts, home);
             ChildJvm embed = startAfter(broker, "embed2", steps.get(1), newPorts, home)) {
            embed.awaitOutput("streamformer: running", START);
            assertTrue(embed.output().contains("it was reset"), embed.output());
            produce("localhost:" + newPort, "events", "{\"id\": 2, \"text\": \"Still works.\"}");
            assertEquals(2, readOne("localhost:" + newPort, "events.enriched").get("id").asInt());
        }
    }

    private ChildJvm startAfter(ChildJvm broker, String name, List<String> args, Map<String, String> ports, Path home) throws Exception {
        broker.awaitOutput("Kafka broker ready", START);
        return start(name, args, ports, home);
    }

    /** The commands of README's first bash block under "## The Kafka pipeline", each as its arguments after ./streamformer. */
    static List<List<String>> readmeSteps() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## The Kafka pipeline"));
        int begin = section.indexOf("```bash\n") + "```bash\n".length();
        String block = section.substring(begin, section.indexOf("```", begin)).replace("\\\n", " ");
        List<List<String>> steps = new ArrayList<>();
        for (String line : block.split("\n")) {
            String command = line.replaceAll("#.*", "").replaceAll("&\\s*$", "").strip();
            if (command.isEmpty()) continue;
            List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
            assertEquals("./streamformer", words.removeFirst(), line);
            steps.add(words);
        }
        return steps;
    }

    private ChildJvm start(String name, List<String> args, Map<String, String> ports, Path home) throws IOException {
        List<String> withPorts = args.stream().map(a -> {
            for (var p : ports.entrySet()) a = a.replace(p.getKey(), p.getValue());
            return a;
        }).toList();
        return ChildJvm.start(tmp.resolve(name + ".log"), Map.of("STREAMFORMER_HOME", home.toString()), List.of(), withPorts);
    }

    /** A fresh STREAMFORMER_HOME that shares this machine's extracted models (no second extraction). */
    private Path home() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path models = ModelRegistry.defaultCacheDir().resolve("models");
        if (Files.isDirectory(models)) Files.createSymbolicLink(home.resolve("models"), models);
        return home;
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get();
        }
    }

    private static JsonNode readOne(String bootstrap, String topic) throws IOException {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "readme-test-" + topic + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + START.toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) return JSON.readTree(record.value());
            }
        }
        throw new AssertionError("nothing on " + topic + " after " + START.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
