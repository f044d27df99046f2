package dev.streamformer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * End to end in headless Chromium: open /attention, type a sentence, pick a layer and a head, click Show, then read
 * the rendered heat map cells and SVG lines back from the page and compare them with what /api/attention returns
 * for the same sentence. Keeps a screenshot in target/attention.png.
 */
class AttentionPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog";
    private static final int LAYER = 2;
    private static final int HEAD = 2; // DistanceAttention: head 2 attends mostly to the previous token

    @Test
    void renderedWeightsEqualTheApiNumbers() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        try (StatusServer server = StatusServer.builder().anyFreePort().state(() -> "RUNNING")
                        .attention(new DistanceAttention()).start();
             HeadlessChromium chromium = HeadlessChromium.start(target.resolve("chromium.log"));
             DevTools page = DevTools.connectToPage(chromium.devToolsPort)) {
            String base = "http://127.0.0.1:" + server.port();
            page.call("Page.navigate", Map.of("url", base + "/attention"));
            page.waitFor("document.getElementById('heatmap') && document.getElementById('heatmap').dataset.text", Duration.ofSeconds(30));

            // enter the sentence as keyboard input into the focused, selected text field
            page.evaluate("(() => { const t = document.getElementById('text'); t.focus(); t.select(); return true; })()");
            page.call("Input.insertText", Map.of("text", SENTENCE));
            assertEquals(SENTENCE, page.evaluate("document.getElementById('text').value").asText());
            page.evaluate(select("layer", LAYER));
            page.evaluate(select("head", HEAD));
            click(page, "#show");
            page.waitFor("(() => { const m = document.getElementById('heatmap').dataset; return m.text === " + JSON.writeValueAsString(SENTENCE)
                    + " && m.layer === '" + LAYER + "' && m.head === '" + HEAD + "'; })()", Duration.ofSeconds(30));

            JsonNode rendered = JSON.readTree(page.evaluate("""
                    JSON.stringify({
                      columns: [...document.querySelectorAll('#heatmap thead th')].slice(1).map(th => th.textContent),
                      rows: [...document.querySelectorAll('#heatmap tbody th')].map(th => th.textContent),
                      weights: [...document.querySelectorAll('#heatmap tbody tr')].map(tr =>
                          [...tr.querySelectorAll('td')].map(td => td.dataset.weight)),
                      shown: [...document.querySelectorAll('#heatmap tbody tr')].map(tr =>
                          [...tr.querySelectorAll('td')].map(td => td.textContent)),
                      lines: [...document.querySelectorAll('#lines line')].map(l =>
                          [l.dataset.i, l.dataset.j, l.dataset.weight, l.getAttribute('stroke-opacity')])
                    })""").asText());
            JsonNode api = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/attention?text="
                    + URLEncoder.encode(SENTENCE, StandardCharsets.UTF_8) + "&layer=" + LAYER + "&head=" + HEAD)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            List<String> tokens = JSON.convertValue(api.path("tokens"), List.class);
            assertEquals(11, tokens.size(), "[CLS] + 9 words + [SEP]");
            assertEquals(tokens, JSON.convertValue(rendered.path("columns"), List.class), "column headers are the key tokens");
            assertEquals(tokens, JSON.convertValue(rendered.path("rows"), List.class), "row headers are the query tokens");
            int n = tokens.size();
            assertEquals(n, rendered.path("weights").size());
            for (int i = 0; i < n; i++) {
                assertEquals(n, rendered.path("weights").get(i).size());
                for (int j = 0; j < n; j++) {
                    double expected = api.path("weights").get(i).get(j).asDouble();
                    assertEquals(expected, Double.parseDouble(rendered.path("weights").get(i).get(j).asText()), 0.0, "cell " + i + "," + j);
                    assertEquals(expected, Double.parseDouble(rendered.path("shown").get(i).get(j).asText()), 0.0005 + 1e-12,
                            "shown value of cell " + i + "," + j);
                }
            }
            assertEquals(n * n, rendered.path("lines").size(), "one line per token pair");
            for (JsonNode line : rendered.path("lines")) {
                double expected = api.path("weights").get(line.get(0).asInt()).get(line.get(1).asInt()).asDouble();
                assertEquals(expected, Double.parseDouble(line.get(2).asText()), 0.0);
                assertEquals(expected, Double.parseDouble(line.get(3).asText()), 0.0, "line opacity is the weight");
            }
            // this head is far from symmetric, so a page that swapped query and key would have failed above
            assertTrue(api.path("weights").get(2).get(1).asDouble() > 2 * api.path("weights").get(1).get(2).asDouble());

            // hovering a cell shows its exact value
            hover(page, "#heatmap td[data-i='3'][data-j='4']");
            String hoverText = page.evaluate("document.getElementById('hover').textContent").asText();
            assertEquals(tokens.get(3) + " \u2192 " + tokens.get(4) + ": " + rendered.path("weights").get(3).get(4).asText(), hoverText);

            byte[] png = Base64.getDecoder().decode(page.call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
            Files.write(target.resolve("attention.png"), png);
            assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a real screenshot");
        }
    }

    /** Picks an option as a user would: the select's value changes and it fires 'change'. */
    private static String select(String id, int value) {
        return "(() => { const s = document.getElementById('" + id + "'); s.value = '" + value
                + "'; s.dispatchEvent(new Event('change')); return s.value; })()";
    }

    private static double[] center(DevTools page, String selector) throws Exception {
        JsonNode box = page.evaluate("(() => { const r = document.querySelector(\"" + selector + "\").getBoundingClientRect();"
                + " return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        return new double[] {box.get(0).asDouble(), box.get(1).asDouble()};
    }

    private static void click(DevTools page, String selector) throws Exception {
        page.evaluate("document.querySelector(\"" + selector + "\").scrollIntoView({block: 'center'})");
        double[] xy = center(page, selector);
        for (String type : List.of("mousePressed", "mouseReleased")) {
            page.call("Input.dispatchMouseEvent", Map.of("type", type, "x", xy[0], "y", xy[1], "button", "left", "clickCount", 1));
        }
    }

    private static void hover(DevTools page, String selector) throws Exception {
        page.evaluate("document.querySelector(\"" + selector + "\").scrollIntoView({block: 'center'})");
        double[] xy = center(page, selector);
        page.call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", xy[0], "y", xy[1]));
    }
}
