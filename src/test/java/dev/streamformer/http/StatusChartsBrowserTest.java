package dev.streamformer.http;

import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.metrics.StreamformerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The status page's charts, topology picture and dead letters in headless Chromium: the charts draw the numbers the
 * API serves, the topology shows every topic and stage, a hostile dead letter stays text, and the page keeps a
 * bounded size while 10,000 events/s flow. Screenshots: target/status-charts.png, status-topology.png and
 * status-deadletters.png.
 */
class StatusChartsBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HOSTILE_VALUE = "{\"text\":\"<img src=x onerror=\\\"window.__pwned=1\\\">\"}";
    static final String HOSTILE_MESSAGE = "Field text: <script>window.__pwned=2</script> is not valid";

    private static TopologyGraph topology() {
        var routes = new LinkedHashMap<String, String>();
        routes.put("positive", "reviews.positive");
        routes.put("negative", "reviews.negative");
        return new TopologyGraph("reviews", List.of(
                new TopologyGraph.Stage("classify", "classify", "distilbert-sst2", "events", "events.classified", "events.dlq", routes),
                new TopologyGraph.Stage("embed", "embed", "all-minilm-l6-v2", "events.classified", "events.embedded", "events.dlq", Map.of())));
    }

    private static DeadLetterFeed.DeadLetter hostileDeadLetter(long offset) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("streamformer.error.stage", "parse");
        headers.put("streamformer.error.reason", "invalid-field");
        headers.put("streamformer.error.class", "dev.streamformer.streams.InvalidEventException");
        headers.put("streamformer.error.message", HOSTILE_MESSAGE);
        headers.put("streamformer.source.topic", "events");
        headers.put("streamformer.source.partition", "1");
        headers.put("streamformer.source.offset", "4711");
        return new DeadLetterFeed.DeadLetter(Instant.now(), "events.dlq", 0, offset, "<b>key</b>", HOSTILE_VALUE, headers);
    }

    @Test
    void chartsDrawTheApiNumbersTheTopologyAndInertDeadLetters() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        var metrics = new StreamformerMetrics();
        var history = new MetricsHistory(metrics, 60, 2);
        long t0 = System.currentTimeMillis() - 30_000;
        metrics.consumerLag("classify", () -> 120);
        metrics.consumerLag("embed", () -> 7);
        for (int s = 0; s <= 30; s++) {
            for (int i = 0; i < 20 + s; i++) metrics.recordIn("classify");
            for (int i = 0; i < 18 + s; i++) metrics.recordOut("classify");
            if (s % 5 == 0) metrics.recordDlq("classify", "invalid-field");
            metrics.recordBatch("classify", 16, 400, 80, 0.02 + s * 0.001);
            metrics.recordBatch("classify", 4, 100, 10, 0.3);
            for (int i = 0; i < 18 + s; i++) metrics.recordIn("embed");
            for (int i = 0; i < 18 + s; i++) metrics.recordOut("embed");
            metrics.recordBatch("embed", 32, 900, 300, 0.05);
            history.sample(t0 + s * 1000L);
        }
        var deadLetters = new DeadLetterFeed(20);
        deadLetters.push(hostileDeadLetter(0));

        try (StatusServer server = StatusServer.builder().anyFreePort().state(() -> "RUNNING").metrics(metrics.registry())
                        .config(Map.of("bootstrap.servers", "broker:9092")).history(history).topology(topology())
                        .deadLetters(deadLetters).start();
             HeadlessChromium chromium = HeadlessChromium.start(target.resolve("chromium-charts.log"));
             DevTools page = DevTools.connectToPage(chromium.devToolsPort)) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode api = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/series")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            page.call("Page.navigate", Map.of("url", base + "/"));
            page.waitFor("document.querySelectorAll('figure.chart').length === 12"
                    + " && document.querySelectorAll('#topology g.node').length === 8"
                    + " && document.querySelectorAll('#deadletters > tbody > tr').length === 1", Duration.ofSeconds(30));

            // every series of every chart: as many points as the API has values, and the legend shows the API's last one
            JsonNode drawn = JSON.readTree(page.evaluate("""
                    JSON.stringify([...document.querySelectorAll('section.stage')].map(sec => ({
                      stage: sec.dataset.stage,
                      series: [...sec.querySelectorAll('g.series')].map(g => {
                        const fig = g.closest('figure');
                        return {key: g.dataset.series, points: +g.dataset.points,
                                last: fig.querySelector('b.last[data-series="' + g.dataset.series + '"]').textContent,
                                chart: fig.dataset.chart};
                      })
                    })))""").asText());
            assertEquals(2, drawn.size());
            int checked = 0;
            for (JsonNode stage : drawn) {
                JsonNode series = api.path("stages").path(stage.path("stage").asText());
                for (JsonNode s : stage.path("series")) {
                    JsonNode values = series.path(s.path("key").asText());
                    int nonNull = 0;
                    JsonNode lastValue = null;
                    for (JsonNode v : values) if (!v.isNull()) { nonNull++; lastValue = v; }
                    assertEquals(nonNull, s.path("points").asInt(), stage + " " + s);
                    String unit = Set.of("padding", "model").contains(s.path("chart").asText()) ? "'%'" : "undefined";
                    String expected = page.evaluate("formatValue(" + lastValue + ", " + unit + ")").asText();
                    assertEquals(expected, s.path("last").asText(), stage.path("stage").asText() + " " + s.path("key").asText());
                    checked++;
                }
            }
            assertEquals(2 * 10, checked, "10 series per stage");
            // numbers known from the recording above: over the last 2 s, classify took 49 and 50 records/s in
            JsonNode classify = api.path("stages").path("classify");
            assertEquals(49.5, classify.path("in").path(30).asDouble(), 1e-9);
            assertEquals(120, classify.path("lag").path(30).asInt());
            assertEquals(10, classify.path("batchRecords").path(30).asDouble(), 1e-9);
            assertEquals(90.0 / 590, classify.path("paddingWaste").path(30).asDouble(), 1e-4);
            String legend = page.evaluate("document.querySelector('section[data-stage=classify] figure[data-chart=rates] .legend').textContent").asText();
            assertTrue(legend.contains("in 49.5") && legend.contains("out 47.5"), legend);

            // the topology: every topic and stage once, dead letters marked, routes labelled
            JsonNode topo = JSON.readTree(page.evaluate("""
                    JSON.stringify({
                      nodes: [...document.querySelectorAll('#topology g.node')].map(g => g.dataset.kind + ':' + g.dataset.name),
                      edges: document.querySelectorAll('#topology path.edge').length,
                      labels: [...document.querySelectorAll('#topology text.edge-label')].map(t => t.textContent)
                    })""").asText());
            assertEquals(new TreeSet<>(List.of("topic:events", "stage:classify", "topic:events.classified", "route:reviews.positive",
                    "route:reviews.negative", "dlq:events.dlq", "stage:embed", "topic:events.embedded")),
                    new TreeSet<String>(JSON.convertValue(topo.path("nodes"), List.class)));
            assertEquals(8, topo.path("edges").asInt(), "2 stages × (in, out, dead letters) + 2 routes");
            assertTrue(JSON.convertValue(topo.path("labels"), List.class).containsAll(List.of("positive", "negative")));

            // the dead letter: its headers readable, its hostile text shown as text and never run
            JsonNode dead = JSON.readTree(page.evaluate("""
                    JSON.stringify({
                      cells: [...document.querySelector('#deadletters > tbody > tr').cells].map(c => c.textContent),
                      event: document.querySelector('#deadletters pre.event').textContent,
                      elements: document.querySelectorAll('#deadletters img, #deadletters script, #deadletters tbody b:not(:first-child)').length,
                      images: document.images.length,
                      pwned: window.__pwned === undefined ? null : window.__pwned,
                      replay: document.getElementById('replay-command').textContent
                    })""").asText());
            List<String> cells = JSON.convertValue(dead.path("cells"), List.class);
            assertEquals("parse", cells.get(1));
            assertEquals("invalid-field", cells.get(2));
            assertTrue(cells.get(3).startsWith("dev.streamformer.streams.InvalidEventException" + HOSTILE_MESSAGE), cells.get(3));
            assertEquals("events [1] @4711", cells.get(4), "source partition and offset");
            assertEquals("<b>key</b>", cells.get(5));
            assertEquals(HOSTILE_VALUE, dead.path("event").asText(), "the event exactly as it was, as text");
            assertEquals(0, dead.path("images").asInt(), "no <img> was made from the event");
            assertEquals(0, dead.path("elements").asInt());
            assertTrue(dead.path("pwned").isNull(), "no script from the event ran");
            assertEquals("streamformer replay --from-dlq events.dlq --to events --bootstrap-servers broker:9092\n"
                    + "streamformer replay --from-dlq events.dlq --to events.classified --bootstrap-servers broker:9092",
                    dead.path("replay").asText());

            screenshot(page, target.resolve("status-charts.png"), "document.getElementById('charts')");
            screenshot(page, target.resolve("status-topology.png"), "document.getElementById('topology-section')");
            page.evaluate("document.getElementById('deadletters-section').scrollIntoView(); document.querySelector('#deadletters details').open = true");
            screenshot(page, target.resolve("status-deadletters.png"), "document.getElementById('deadletters-section')");
        }
    }

    private static void screenshot(DevTools page, Path file, String fromElement) throws Exception {
        double y = page.evaluate(fromElement + ".getBoundingClientRect().top + window.scrollY").asDouble();
        double height = page.evaluate("document.documentElement.scrollHeight").asDouble() - y;
        if (file.getFileName().toString().contains("topology")) height = page.evaluate("document.getElementById('topology').getBoundingClientRect().height").asDouble() + 40;
        var clip = Map.of("x", 0, "y", y, "width", 1280, "height", Math.min(1400, Math.max(200, height)), "scale", 1);
        byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot",
                Map.of("format", "png", "clip", clip, "captureBeyondViewport", true)).path("data").asText());
        Files.write(file, png);
        assertTrue(png.length > 5_000, "a real screenshot: " + file);
    }

    private static void collectGarbage(DevTools page) {
        try {
            page.call("HeapProfiler.collectGarbage", Map.of());
        } catch (Exception | AssertionError e) {
            // the heap figure is then noisier, not wrong
        }
    }

    @Test
    void thePageStaysBoundedWhileTenThousandEventsASecondFlow() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        var metrics = new StreamformerMetrics();
        var history = new MetricsHistory(metrics, 50, 10).startSampling(Duration.ofMillis(200)); // rates over 2 s
        var feed = new EventFeed(50);
        var deadLetters = new DeadLetterFeed(100);
        var running = new AtomicBoolean(true);
        long[] pushed = {0};
        Thread producer = Thread.ofPlatform().start(() -> {
            long start = System.nanoTime();
            while (running.get()) {
                // 10,000 events/s: 100 every 10 ms, one in a hundred dead-lettered
                for (int i = 0; i < 100; i++) {
                    metrics.recordIn("embed");
                    metrics.recordOut("embed");
                    feed.push(FeedEvent.of("embed", "k" + pushed[0], "event number " + pushed[0]));
                    pushed[0]++;
                }
                metrics.recordDlq("embed", "malformed-json");
                deadLetters.push(hostileDeadLetter(pushed[0]));
                metrics.recordBatch("embed", 100, 2000, 100, 0.005);
                long next = start + pushed[0] * 100_000L; // ns per event at 10,000/s
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        });
        try (history;
             StatusServer server = StatusServer.builder().anyFreePort().state(() -> "RUNNING").metrics(metrics.registry())
                     .events(feed).history(history).topology(topology()).deadLetters(deadLetters).start();
             HeadlessChromium chromium = HeadlessChromium.start(target.resolve("chromium-flow.log"));
             DevTools page = DevTools.connectToPage(chromium.devToolsPort)) {
            page.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + server.port() + "/"));
            page.waitFor("document.querySelectorAll('figure.chart').length === 6"
                    + " && document.querySelectorAll('#deadletters > tbody > tr').length === 100"
                    + " && document.querySelectorAll('#feed tbody tr').length === 50", Duration.ofSeconds(30));
            collectGarbage(page);
            int nodesBefore = page.evaluate("document.getElementsByTagName('*').length").asInt();
            double heapBefore = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0").asDouble();
            Thread.sleep(8000);
            collectGarbage(page);
            int nodesAfter = page.evaluate("document.getElementsByTagName('*').length").asInt();
            double heapAfter = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0").asDouble();
            String shownRate = page.evaluate("document.querySelector('figure[data-chart=rates] b.last[data-series=in]').textContent").asText();
            double rate = shownRate.endsWith("k") ? Double.parseDouble(shownRate.replace("k", "")) : Double.parseDouble(shownRate) / 1000;
            running.set(false);
            producer.join();
            assertTrue(pushed[0] > 50_000, "the flow ran: " + pushed[0]);
            assertTrue(Math.abs(nodesAfter - nodesBefore) < nodesBefore * 0.1, "DOM nodes " + nodesBefore + " → " + nodesAfter);
            assertTrue(heapAfter < heapBefore * 2 + 2_000_000, "JS heap " + heapBefore + " → " + heapAfter);
            assertTrue(rate > 5 && rate < 15, "the chart shows about 10k events/s: " + rate + "k");
            assertEquals(50, feed.latest().size());
            assertEquals(100, deadLetters.latest().size());
        } finally {
            running.set(false);
        }
    }
}
