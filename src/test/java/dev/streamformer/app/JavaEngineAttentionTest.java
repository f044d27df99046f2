package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.http.StatusServer;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.tensor.Tensor;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The attention view's API serves the Java engine's own attention weights for the typed sentence (the page's rendering
 * of whatever the API returns is checked in a browser by AttentionPageBrowserTest).
 */
class JavaEngineAttentionTest {

    @Test
    void apiWeightsAreTheEnginesWeights() throws Exception {
        String text = "Kafka topics carry events";
        try (StatusServer server = StatusServer.builder().anyFreePort().state(() -> "RUNNING")
                .attention(new JavaEngineAttention("all-minilm-l6-v2")).start()) {
            String url = "http://127.0.0.1:" + server.port() + "/api/attention?text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                    + "&layer=3&head=5";
            JsonNode api = new ObjectMapper().readTree(HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());

            var files = ModelRegistry.standard().resolve("all-minilm-l6-v2");
            Tokenizer tokenizer = Tokenizer.fromFile(files.tokenizer());
            Encoding e = tokenizer.encode(text);
            Tensor layer3 = JavaEngine.load(files.onnx()).runWithAttention(
                    TokenBatch.pad(new int[][]{e.ids()}, new int[][]{e.typeIds()}, 0)).attentions().get(3);
            int n = e.length();
            assertEquals(6, api.get("layers").asInt());
            assertEquals(12, api.get("heads").asInt());
            assertEquals(n, api.get("tokens").size());
            for (int i = 0; i < n; i++) {
                double rowSum = 0;
                for (int j = 0; j < n; j++) {
                    double w = api.get("weights").get(i).get(j).asDouble();
                    assertEquals(layer3.data()[(5 * n + i) * n + j], w, 1e-6, "weight " + i + "," + j);
                    rowSum += w;
                }
                assertEquals(1.0, rowSum, 1e-5, "softmax row " + i);
            }
        }
    }
}
