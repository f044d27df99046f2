package dev.streamformer.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Chrome DevTools Protocol client on the JDK's WebSocket: send a command, wait for the reply with the
 * same id. Events are ignored (the test polls the page instead).
 */
final class DevTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private DevTools(String webSocketUrl) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(webSocketUrl), new Listener()).join();
    }

    /** Connects to the first page target of the browser listening on {@code port}. */
    static DevTools connectToPage(int port) throws Exception {
        var list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(list.body())) {
            if (target.path("type").asText().equals("page")) return new DevTools(target.path("webSocketDebuggerUrl").asText());
        }
        throw new AssertionError("Chromium has no page target: " + list.body());
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = nextId.getAndIncrement();
        var reply = new CompletableFuture<JsonNode>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true).join();
        JsonNode message = reply.get(30, TimeUnit.SECONDS);
        if (message.has("error")) throw new AssertionError(method + " failed: " + message.path("error"));
        return message.path("result");
    }

    /** Runs JavaScript in the page and returns its value (promises are awaited). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) throw new AssertionError("JavaScript failed: " + result.path("exceptionDetails"));
        return result.path("result").path("value");
    }

    /** Polls {@code condition} (JavaScript returning a boolean) until it is true. */
    void waitFor(String condition, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("Timed out after " + timeout + " waiting for: " + condition);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        var reply = pending.remove(message.path("id").asInt());
                        if (reply != null) reply.complete(message);
                    }
                } catch (Exception e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
