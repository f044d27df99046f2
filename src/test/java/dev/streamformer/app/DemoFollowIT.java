package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.model.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo --follow} serves its status page (charts, topology, the sample's dead letters read back from Kafka), and
 * stopped as Ctrl-C stops it leaves no broker directory behind, and keeps its state in STREAMFORMER_HOME.
 */
class DemoFollowIT {

    @TempDir Path tmp;

    @Test
    void stoppingTheFollowingDemoDeletesItsBrokerDirectory() throws Exception {
        Path osTemp = Files.createDirectories(tmp.resolve("os-temp"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path models = ModelRegistry.defaultCacheDir().resolve("models");
        if (Files.isDirectory(models)) Files.createSymbolicLink(home.resolve("models"), models);

        try (ChildJvm demo = ChildJvm.start(tmp.resolve("demo.log"), Map.of("STREAMFORMER_HOME", home.toString()),
                List.of("-Djava.io.tmpdir=" + osTemp), List.of("demo", "--follow", "--http-port", "0"))) {
            demo.awaitOutput("Ctrl-C to stop.", Duration.ofMinutes(3));
            Matcher url = Pattern.compile("Status page: (http://127\\.0\\.0\\.1:\\d+/)").matcher(demo.output());
            assertTrue(url.find(), demo.output());
            checkStatusPage(url.group(1));
            assertEquals(1, brokerDirs(osTemp), "the running demo's broker directory");
            assertTrue(Files.isDirectory(home.resolve("demo-state")), "state under STREAMFORMER_HOME");
            demo.close();
            assertTrue(demo.output().contains("Stopping the pipeline and the broker"), demo.output());
        }
        assertEquals(0, brokerDirs(osTemp), "broker directories left behind");
    }

    private static void checkStatusPage(String base) throws Exception {
        var http = HttpClient.newHttpClient();
        var json = new ObjectMapper();
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        JsonNode topology = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/topology")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("demo.events", topology.path("stages").path(0).path("input").asText(), topology.toString());
        assertEquals("demo.events.dlq", topology.path("stages").path(0).path("deadLetter").asText());
        JsonNode dead = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            dead = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/deadletters")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (dead.path("records").size() > 0) break;
            Thread.sleep(250);
        }
        assertTrue(dead.path("records").size() > 0, "the sample's bad events, read back from the dead-letter topic: " + dead);
        JsonNode first = dead.path("records").path(0);
        assertEquals("demo.events.dlq", first.path("topic").asText());
        assertTrue(first.path("headers").has("streamformer.error.reason") && first.path("headers").has("streamformer.source.offset"), first.toString());
        JsonNode series = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/series")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(series.path("stages").path("embed").path("in").size() > 0, series.toString());
    }

    private static long brokerDirs(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("streamformer-kafka-")).count();
        }
    }
}
