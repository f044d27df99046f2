package dev.streamformer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.StreamformerMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status page in headless Chromium: configuration with secrets hidden, counters, and a feed that updates live. */
class StatusPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void statusPageShowsConfigCountersAndALiveFeed() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        var metrics = new StreamformerMetrics();
        for (int i = 0; i < 5; i++) metrics.recordIn("classify");
        metrics.recordDlq("classify", "bad_json");
        var feed = new EventFeed(10);
        feed.push(FeedEvent.classified("classify", "order-1", "I love this <b>product</b>", "positive", 0.98765));
        feed.push(FeedEvent.of("embed", "order-2", "an embedded event"));
        Map<String, Object> config = Map.of("bootstrap.servers", "localhost:9092", "ssl.truststore.password", "TopSecret42");

        try (StatusServer server = StatusServer.builder().anyFreePort().state(() -> "RUNNING").metrics(metrics.registry())
                        .config(config).events(feed).start();
             HeadlessChromium chromium = HeadlessChromium.start(target.resolve("chromium-status.log"));
             DevTools page = DevTools.connectToPage(chromium.devToolsPort)) {
            page.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + server.port() + "/"));
            page.waitFor("document.querySelectorAll('#feed tbody tr').length === 2"
                    + " && document.querySelectorAll('#config tbody tr').length === 2", Duration.ofSeconds(30));

            JsonNode shown = JSON.readTree(page.evaluate("""
                    JSON.stringify({
                      state: document.getElementById('state').textContent,
                      stateClass: document.getElementById('state').className,
                      config: [...document.querySelectorAll('#config tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
                      counters: [...document.querySelectorAll('#counters tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
                      feed: [...document.querySelectorAll('#feed tbody tr')].map(tr => [...tr.cells].map(c => c.textContent)),
                      bolds: document.querySelectorAll('#feed b').length,
                      text: document.body.innerText
                    })""").asText());
            assertEquals("RUNNING", shown.path("state").asText());
            assertEquals("state UP", shown.path("stateClass").asText());
            assertEquals(List.of(List.of("bootstrap.servers", "localhost:9092"), List.of("ssl.truststore.password", "[hidden]")),
                    JSON.convertValue(shown.path("config"), List.class));
            assertFalse(shown.path("text").asText().contains("TopSecret42"), "the secret is nowhere on the page");
            // the Prometheus client's order: families by name, labels by name
            assertEquals(List.of(List.of("streamformer_records_dlq_total", "reason=bad_json, stage=classify", "1"),
                    List.of("streamformer_records_in_total", "stage=classify", "5")),
                    JSON.convertValue(shown.path("counters"), List.class));
            List<List<String>> rows = JSON.convertValue(shown.path("feed"), List.class);
            assertEquals(List.of("embed", "order-2", "an embedded event", "", ""), rows.get(0).subList(1, 6), "newest first");
            assertEquals(List.of("classify", "order-1", "I love this <b>product</b>", "positive", "0.988"), rows.get(1).subList(1, 6));
            assertEquals(0, shown.path("bolds").asInt(), "event text is shown as text, never as HTML");

            feed.push(FeedEvent.classified("classify", "order-3", "arrived while the page was open", "negative", 0.5));
            page.waitFor("document.querySelector('#feed tbody tr td:nth-child(3)').textContent === 'order-3'", Duration.ofSeconds(15));

            byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
            Files.write(target.resolve("status.png"), png);
            assertTrue(png.length > 5_000, "a real screenshot");
        }
    }
}
