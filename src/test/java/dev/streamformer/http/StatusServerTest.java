package dev.streamformer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.PrometheusTextParser;
import dev.streamformer.metrics.StreamformerMetrics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> state = new AtomicReference<>("CREATED");
    private final EventFeed feed = new EventFeed(3);
    private StreamformerMetrics metrics;
    private StatusServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new StreamformerMetrics();
        var config = new LinkedHashMap<String, Object>();
        config.put("bootstrap.servers", "broker:9092");
        config.put("ssl.key.password", "k3y");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"pw\";");
        config.put("stages", List.of(Map.of("name", "embed", "model", "all-minilm-l6-v2", "apiSecret", "s3")));
        config.put("Schema.Registry.PASSWORD", "pw2");
        server = StatusServer.builder().anyFreePort().state(state::get).metrics(metrics.registry())
                .config(config).events(feed).attention(new DistanceAttention()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthFollowsTheKafkaStreamsState() throws Exception {
        for (var c : List.of(Map.entry("CREATED", 503), Map.entry("REBALANCING", 200), Map.entry("RUNNING", 200),
                Map.entry("PENDING_SHUTDOWN", 503), Map.entry("ERROR", 503))) {
            state.set(c.getKey());
            var response = get("/health");
            assertEquals(c.getValue(), response.statusCode(), c.getKey());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
            JsonNode body = JSON.readTree(response.body());
            assertEquals(c.getValue() == 200 ? "UP" : "DOWN", body.path("status").asText());
            assertEquals(c.getKey(), body.path("state").asText());
        }
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        metrics.recordIn("classify");
        metrics.recordDlq("classify", "bad_json");
        metrics.recordBatch("classify", 4, 64, 0.01);
        var response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        var families = PrometheusTextParser.parse(response.body());
        assertEquals(1, families.get("streamformer_records_in_total").series().getFirst().value());
        assertEquals(64, families.get("streamformer_tokens_total").series().getFirst().value());
        assertEquals("histogram", families.get("streamformer_batch_tokens").type());
    }

    @Test
    void statusApiHidesSecretsAndListsCounters() throws Exception {
        metrics.recordIn("embed");
        metrics.recordIn("embed");
        JsonNode status = JSON.readTree(get("/api/status").body());
        JsonNode config = status.path("config");
        assertEquals("broker:9092", config.path("bootstrap.servers").asText());
        assertEquals("all-minilm-l6-v2", config.path("stages.0.model").asText());
        for (String secret : List.of("ssl.key.password", "sasl.jaas.config", "stages.0.apiSecret", "Schema.Registry.PASSWORD")) {
            assertEquals("[hidden]", config.path(secret).asText(), secret);
        }
        assertFalse(status.toString().contains("k3y") || status.toString().contains("pw") || status.toString().contains("s3"),
                "no secret value anywhere in " + status);
        JsonNode counter = status.path("counters").get(0);
        assertEquals("streamformer_records_in_total", counter.path("name").asText());
        assertEquals("embed", counter.path("labels").path("stage").asText());
        assertEquals(2, counter.path("value").asDouble());
    }

    @Test
    void eventFeedKeepsTheLastEventsNewestFirst() throws Exception {
        for (int i = 1; i <= 5; i++) feed.push(FeedEvent.classified("classify", "k" + i, "text " + i, i % 2 == 0 ? "pos" : "neg", i / 10.0));
        JsonNode events = JSON.readTree(get("/api/events").body());
        assertEquals(3, events.size(), "capacity 3");
        assertEquals(List.of("k5", "k4", "k3"), List.of(events.get(0).path("key").asText(), events.get(1).path("key").asText(),
                events.get(2).path("key").asText()));
        assertEquals("neg", events.get(0).path("label").asText());
        assertEquals(0.5, events.get(0).path("score").asDouble());
        assertTrue(events.get(0).path("time").asText().endsWith("Z"));
        feed.push(FeedEvent.of("embed", "k6", "x".repeat(500)));
        JsonNode latest = JSON.readTree(get("/api/events").body()).get(0);
        assertTrue(latest.path("label").isNull());
        assertEquals(FeedEvent.MAX_TEXT_CHARS + 1, latest.path("text").asText().length(), "long texts are cut");
    }

    @Test
    void attentionApiReturnsOneLayerAndHead() throws Exception {
        String text = "Kafka streams carry \"events\" & more";
        var response = get("/api/attention?text=" + URLEncoder.encode(text, StandardCharsets.UTF_8) + "&layer=2&head=1");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        var expected = new DistanceAttention().attend(text);
        assertEquals(expected.tokens(), JSON.convertValue(body.path("tokens"), List.class));
        assertEquals(3, body.path("layers").asInt());
        assertEquals(4, body.path("heads").asInt());
        float[][] weights = JSON.convertValue(body.path("weights"), float[][].class);
        assertEquals(expected.tokens().size(), weights.length);
        for (int i = 0; i < weights.length; i++) {
            assertTrue(java.util.Arrays.equals(expected.weights()[2][1][i], weights[i]), "row " + i);
        }
    }

    @Test
    void badRequestsGetClearAnswers() throws Exception {
        assertEquals(400, get("/api/attention").statusCode());
        var badLayer = get("/api/attention?text=hi&layer=3");
        assertEquals(400, badLayer.statusCode());
        assertEquals("layer must be 0 to 2 and head 0 to 3.", JSON.readTree(badLayer.body()).path("error").asText());
        assertEquals(400, get("/api/attention?text=hi&head=x").statusCode());
        assertEquals(404, get("/nope").statusCode());
        var post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void aFailingAttentionSourceGivesA500WithItsMessage() throws Exception {
        try (var failing = StatusServer.builder().anyFreePort().state(() -> "RUNNING")
                .attention(text -> { throw new IllegalStateException("model not loaded"); }).start()) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + failing.port() + "/api/attention?text=hi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, response.statusCode());
            assertEquals("IllegalStateException: model not loaded", JSON.readTree(response.body()).path("error").asText());
        }
        var noSource = StatusServer.builder().anyFreePort().state(() -> "RUNNING").start();
        try (noSource) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + noSource.port() + "/api/attention?text=hi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode());
        }
    }

    @Test
    void pagesAreServed() throws Exception {
        var index = get("/");
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(index.body().contains("src=\"/status.js\"") && index.body().contains("src=\"/charts.js\""));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self';"),
                "the status page runs no inline script");
        assertFalse(index.body().contains("http://") || index.body().contains("https://"), "nothing from a CDN");
        var script = get("/status.js");
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(script.body().contains("/api/events") && script.body().contains("/api/series"));
        assertFalse(script.body().contains("innerHTML"), "server data never goes in as HTML");
        assertFalse(get("/charts.js").body().contains("innerHTML"));
        assertTrue(get("/attention").body().contains("id=\"heatmap\""));
    }

    @Test
    void seriesTopologyAndDeadLettersAreEmptyWithoutSources() throws Exception {
        assertEquals(0, JSON.readTree(get("/api/series").body()).path("stages").size());
        assertEquals(0, JSON.readTree(get("/api/topology").body()).path("stages").size());
        JsonNode dlq = JSON.readTree(get("/api/deadletters").body());
        assertEquals(0, dlq.path("records").size());
    }

    @Test
    void deadLettersAreListedNewestFirstWithTheirHeaders() throws Exception {
        var dead = new DeadLetterFeed(2);
        var topology = new TopologyGraph("t", List.of(new TopologyGraph.Stage("embed", "embed", "m", "in", "out", "in.dlq", Map.of())));
        try (var s = StatusServer.builder().anyFreePort().state(() -> "RUNNING").deadLetters(dead).topology(topology).start()) {
            for (int i = 0; i < 3; i++) {
                dead.push(new DeadLetterFeed.DeadLetter(java.time.Instant.ofEpochMilli(1000L * i), "in.dlq", 0, i, "k" + i, "v" + i,
                        Map.of("streamformer.error.stage", "parse")));
            }
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/deadletters")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            assertEquals(2, body.path("capacity").asInt());
            assertEquals(3, body.path("seen").asInt());
            assertEquals("in.dlq", body.path("topics").path(0).asText());
            assertEquals(2, body.path("records").size(), "bounded");
            assertEquals(2, body.path("records").path(0).path("offset").asInt(), "newest first");
            assertEquals("parse", body.path("records").path(0).path("headers").path("streamformer.error.stage").asText());
        }
    }

    @Test
    void portZeroMeansAnyFreePortAndTheDefaultHostIsLoopback() throws Exception {
        try (var anyPort = StatusServer.builder().port(0).state(() -> "RUNNING").start()) {
            assertTrue(anyPort.port() > 0, "listens on " + anyPort.port());
        }
        assertEquals("127.0.0.1", server.host());
        assertThrows(IllegalArgumentException.class, () -> StatusServer.builder().port(70000));
        // the port taken by the running server cannot be taken again: one clear error
        var clash = assertThrows(java.io.IOException.class,
                () -> StatusServer.builder().port(server.port()).state(() -> "RUNNING").start());
        assertTrue(clash.getMessage().contains("--http-port") && clash.getMessage().contains("--no-http"), clash.getMessage());
    }

    @Test
    void oversizedRequestsAreRefusedInOneSentence() throws Exception {
        var longUri = get("/api/attention?text=" + "a".repeat(40_000));
        assertEquals(414, longUri.statusCode());
        assertEquals("The request URI is over 32768 characters: send a shorter one (an attention text is at most 2000 characters).",
                longUri.body().strip());
        var bigHeaders = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .header("X-Filler", "x".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(431, bigHeaders.statusCode());
        assertEquals("The request headers are over 16384 bytes: send fewer or shorter ones.", bigHeaders.body().strip());
        var withBody = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, withBody.statusCode());
        assertTrue(withBody.body().startsWith("This server takes no request body"), withBody.body());
        assertEquals(503, get("/health").statusCode(), "still answering (503: the state is CREATED)");
    }

    @Test
    void requestsAndAttentionViewsOverTheirCapsGetA503ToRetry() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        var inside = new java.util.concurrent.CountDownLatch(2);
        var insideTheSecond = new java.util.concurrent.CountDownLatch(2);
        try (var slow = StatusServer.builder().anyFreePort().state(() -> "RUNNING").attention(blockedUntil(release, inside)).start();
             var twoAtOnce = StatusServer.builder().anyFreePort().state(() -> "RUNNING").attention(blockedUntil(release, insideTheSecond))
                     .maxConcurrentRequests(2).start()) {
            // HTTP/1.1: each request on its own connection at once (with the default HTTP/2 preference the client may
            // hold a second request to an origin until the first one's h2c upgrade is answered, which here never comes)
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI attention = URI.create("http://127.0.0.1:" + slow.port() + "/api/attention?text=hi");
            var first = client.sendAsync(HttpRequest.newBuilder(attention).build(), HttpResponse.BodyHandlers.ofString());
            var second = client.sendAsync(HttpRequest.newBuilder(attention).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(inside.await(10, java.util.concurrent.TimeUnit.SECONDS), "two attention views running");
            var third = client.send(HttpRequest.newBuilder(attention).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, third.statusCode());
            assertEquals("1", third.headers().firstValue("Retry-After").orElse(null));
            assertEquals("2 attention views are being computed already: retry in a second.", JSON.readTree(third.body()).path("error").asText());
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "other pages still answer");

            // the second server answers 2 requests at once: with its one attention view waiting, one more fits, not two
            URI twoAttention = URI.create("http://127.0.0.1:" + twoAtOnce.port() + "/api/attention?text=hi");
            var held = client.sendAsync(HttpRequest.newBuilder(twoAttention).build(), HttpResponse.BodyHandlers.ofString());
            var heldToo = client.sendAsync(HttpRequest.newBuilder(twoAttention).build(), HttpResponse.BodyHandlers.ofString());
            // wait until both are inside before asking anything else: a request sent earlier could take the second
            // request's place, and then that one would be the refused one
            assertTrue(insideTheSecond.await(30, java.util.concurrent.TimeUnit.SECONDS), "two attention views running on the second server");
            var refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + twoAtOnce.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertEquals("The status server is answering 2 requests at once already: retry in a second.", refused.body().strip());
            release.countDown();
            assertEquals(200, first.get().statusCode());
            assertEquals(200, second.get().statusCode());
            held.get();
            heldToo.get();
        }
    }

    /** An attention source that counts itself {@code inside}, then waits for {@code release}. */
    private static AttentionSource blockedUntil(java.util.concurrent.CountDownLatch release, java.util.concurrent.CountDownLatch inside) {
        return text -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new DistanceAttention().attend(text);
        };
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnce() throws Exception {
        var sockets = new java.util.ArrayList<java.net.Socket>();
        try {
            for (int i = 0; i < StatusServer.MAX_CONNECTIONS; i++) sockets.add(new java.net.Socket("127.0.0.1", server.port()));
            Thread.sleep(300); // the server accepts them
            var client = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build();
            assertThrows(java.io.IOException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()),
                    "connection " + (StatusServer.MAX_CONNECTIONS + 1) + " is closed unanswered");
            for (var socket : sockets) socket.close();
            sockets.clear();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    assertEquals(503, HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
                    break;
                } catch (java.io.IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(100);
                }
            }
        } finally {
            for (var socket : sockets) socket.close();
        }
    }

    @Test
    void anAddressBeyondLoopbackIsRefusedUnlessAllowed() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StatusServer.builder().host("0.0.0.0").anyFreePort().state(() -> "RUNNING").start());
        assertEquals("The status server would listen on 0.0.0.0, which other machines reach, and its pages have no login: bind it to"
                + " 127.0.0.1, or allow it explicitly with --http-allow-remote (topology file: http.allowRemote: true) behind a firewall"
                + " or proxy.", e.getMessage());
        try (var local = StatusServer.builder().host("localhost").anyFreePort().state(() -> "RUNNING").start()) {
            assertTrue(local.port() > 0);
        }
        try (var remote = StatusServer.builder().host("0.0.0.0").allowRemote(true).anyFreePort().state(() -> "RUNNING").start()) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + remote.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
