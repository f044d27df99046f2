package dev.streamformer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.PrometheusText;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP status server. Routes:
 * <pre>
 * GET /health          {"status":"UP"|"DOWN","state":"RUNNING"}: 200 when RUNNING or REBALANCING, else 503
 * GET /metrics         Prometheus text format 0.0.4
 * GET /                status page (configuration, counters, live feed)
 * GET /attention       attention view (heat map and token-to-token lines)
 * GET /api/status      {"state":..,"config":{..},"counters":[{name,labels,value}]}
 * GET /api/events      the last events, newest first
 * GET /api/series      per stage, the charts' series over the last minutes (see {@link MetricsHistory})
 * GET /api/topology    topics → stages → topics, with dead-letter and route topics (see {@link TopologyGraph})
 * GET /api/deadletters the last dead-lettered records with their headers, newest first
 * GET /charts.js       the page's chart and topology drawing (plain SVG, no library, works offline)
 * GET /status.js       the status page's script (polling, tables, dead letters)
 * GET /api/attention?text=..&amp;layer=..&amp;head=..   {"tokens":[..],"layers":L,"heads":H,"layer":l,"head":h,"weights":[[..]]}
 * </pre>
 * Bound to 127.0.0.1 unless told otherwise; port 0 means any free port, as everywhere in Streamformer. An address
 * beyond this machine (e.g. {@code 0.0.0.0}) is refused unless {@link Builder#allowRemote} says so: the pages show
 * event texts and dead letters and have no login.
 *
 * <h2>Caps</h2>
 * Requests are GET or HEAD without a body (else 405, or 413 for a body), a URI of at most {@value #MAX_URI_CHARS}
 * characters (414) and headers of at most {@value #MAX_HEADER_BYTES} bytes (431); at most
 * {@value #MAX_CONCURRENT_REQUESTS} requests are answered at once and at most {@value #MAX_CONCURRENT_ATTENTION}
 * attention views computed at once (503 with {@code Retry-After: 1} above that). Each refusal is one sentence saying
 * what to change. Below those, the JDK server itself is capped for this process, unless the property is set already:
 * {@value #MAX_CONNECTIONS} open connections ({@code jdk.httpserver.maxConnections}; more are closed at once),
 * {@value #MAX_REQUEST_SECONDS} s to send a request's headers ({@code sun.net.httpserver.maxReqTime}; a slow sender
 * is cut off) and 64 KiB of headers ({@code sun.net.httpserver.maxReqHeaderSize}).
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HEALTHY_STATES = Set.of("RUNNING", "REBALANCING");
    /** Longest text the attention API accepts: attention is n x n per head. */
    static final int MAX_ATTENTION_CHARS = 2000;
    /** Longest request URI: room for an attention text of 2,000 characters percent-encoded. */
    static final int MAX_URI_CHARS = 32 * 1024;
    /** Most bytes of request headers (names and values). */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_CONCURRENT_REQUESTS = 32;
    static final int MAX_CONCURRENT_ATTENTION = 2;
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_REQUEST_SECONDS = 30;

    static {
        // read once, when the JDK's server classes load: this class is the only one here that starts a JDK server
        System.getProperties().putIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(64 * 1024));
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Builder settings;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<AutoCloseable> closeWith = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.Semaphore requests;
    private final java.util.concurrent.Semaphore attentionViews = new java.util.concurrent.Semaphore(MAX_CONCURRENT_ATTENTION);

    private StatusServer(Builder settings) throws IOException {
        this.settings = settings;
        this.requests = new java.util.concurrent.Semaphore(settings.maxConcurrentRequests);
        this.closeWith.addAll(settings.closeWith);
        this.server = HttpServer.create(new InetSocketAddress(settings.host, settings.port), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::route);
        server.start();
        LOG.info("Status server on http://{}:{}/ (/health, /metrics, /attention, /api/series, /api/deadletters)", settings.host, port());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the ephemeral one if it was asked for any free port). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return settings.host;
    }

    /** Closes {@code resource} when the server closes (what feeds the page: a sampler, a dead-letter reader). */
    public void closeAlso(AutoCloseable resource) {
        closeWith.add(resource);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.stop(0);
        executor.shutdownNow();
        for (AutoCloseable c : closeWith) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} with the status server failed", c, e);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (!requests.tryAcquire()) {
            try {
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 503, "text/plain; charset=utf-8", "The status server is answering " + settings.maxConcurrentRequests
                        + " requests at once already: retry in a second.\n");
            } finally {
                exchange.close();
            }
            return;
        }
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD are supported.\n");
                return;
            }
            String refused = refusal(exchange);
            if (refused != null) {
                int status = Integer.parseInt(refused.substring(0, 3));
                send(exchange, status, "text/plain; charset=utf-8", refused.substring(4) + "\n");
                return;
            }
            URI uri = exchange.getRequestURI();
            switch (uri.getPath()) {
                case "/health" -> health(exchange);
                case "/metrics" -> send(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.write(settings.metrics));
                case "/", "/index.html" -> page(exchange, "index.html");
                case "/attention" -> page(exchange, "attention.html");
                case "/charts.js", "/status.js" -> resource(exchange, uri.getPath().substring(1), "text/javascript; charset=utf-8");
                case "/api/series" -> sendJson(exchange, 200, settings.history == null
                        ? Map.of("capacity", 0, "window", 0, "stages", Map.of()) : settings.history.toJson());
                case "/api/topology" -> sendJson(exchange, 200, settings.topology == null
                        ? Map.of("name", "", "stages", List.of()) : settings.topology.toJson());
                case "/api/deadletters" -> sendJson(exchange, 200, deadLetters());
                case "/api/status" -> sendJson(exchange, 200, status());
                case "/api/events" -> sendJson(exchange, 200, events());
                case "/api/attention" -> attention(exchange, query(uri));
                default -> send(exchange, 404, "text/plain; charset=utf-8", "Not found. Try /, /health, /metrics or /attention.\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("Status server request {} failed", exchange.getRequestURI(), e);
            sendJson(exchange, 500, Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            requests.release();
            exchange.close();
        }
    }

    /** {@code "<status> <sentence>"} for a request over the caps, else null. */
    private static String refusal(HttpExchange exchange) {
        if (exchange.getRequestURI().toString().length() > MAX_URI_CHARS) {
            return "414 The request URI is over " + MAX_URI_CHARS + " characters: send a shorter one (an attention text is at most "
                    + MAX_ATTENTION_CHARS + " characters).";
        }
        long headerBytes = 0;
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            for (String value : h.getValue()) headerBytes += h.getKey().length() + value.length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            return "431 The request headers are over " + MAX_HEADER_BYTES + " bytes: send fewer or shorter ones.";
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if ((length != null && !length.trim().equals("0")) || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return "413 This server takes no request body: send the GET without one, with any input in the query string.";
        }
        return null;
    }

    private void health(HttpExchange exchange) throws IOException {
        String state = settings.state.get();
        boolean up = HEALTHY_STATES.contains(state);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("state", state);
        sendJson(exchange, up ? 200 : 503, body);
    }

    private Map<String, Object> status() {
        var counters = new ArrayList<Map<String, Object>>();
        for (MetricSnapshot family : settings.metrics.scrape()) {
            if (!(family instanceof CounterSnapshot counter)) continue;
            String name = counter.getMetadata().getPrometheusName() + "_total"; // the client keeps counter names without _total
            for (var point : counter.getDataPoints()) {
                var labels = new LinkedHashMap<String, String>();
                point.getLabels().forEach(l -> labels.put(l.getName(), l.getValue()));
                counters.add(Map.of("name", name, "labels", labels, "value", point.getValue()));
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("state", settings.state.get());
        body.put("config", ConfigSummary.masked(settings.config));
        body.put("counters", counters);
        body.put("feedCapacity", settings.events.capacity());
        return body;
    }

    /** The feed, newest first, with times as ISO-8601 strings. */
    private List<Map<String, Object>> events() {
        var out = new ArrayList<Map<String, Object>>();
        for (FeedEvent e : settings.events.latest()) {
            var event = new LinkedHashMap<String, Object>();
            event.put("time", e.time().toString());
            event.put("stage", e.stage());
            event.put("key", e.key());
            event.put("text", e.text());
            event.put("label", e.label());
            event.put("score", e.score());
            out.add(event);
        }
        return out;
    }

    private Map<String, Object> deadLetters() {
        var records = new ArrayList<Map<String, Object>>();
        DeadLetterFeed feed = settings.deadLetters;
        if (feed != null) {
            for (DeadLetterFeed.DeadLetter d : feed.latest()) {
                var m = new LinkedHashMap<String, Object>();
                m.put("time", d.time().toString());
                m.put("topic", d.topic());
                m.put("partition", d.partition());
                m.put("offset", d.offset());
                m.put("key", d.key());
                m.put("value", d.value());
                m.put("headers", d.headers());
                records.add(m);
            }
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("capacity", feed == null ? 0 : feed.capacity());
        body.put("seen", feed == null ? 0 : feed.seen());
        body.put("topics", settings.topology == null ? List.of() : settings.topology.deadLetterTopics());
        body.put("records", records);
        return body;
    }

    private void attention(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (settings.attention == null) {
            sendJson(exchange, 503, Map.of("error", "No attention source is configured for this pipeline."));
            return;
        }
        String text = query.getOrDefault("text", "");
        if (text.isBlank() || text.length() > MAX_ATTENTION_CHARS) {
            sendJson(exchange, 400, Map.of("error", "Pass a text of 1 to " + MAX_ATTENTION_CHARS + " characters: /api/attention?text=..."));
            return;
        }
        if (!attentionViews.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            sendJson(exchange, 503, Map.of("error", MAX_CONCURRENT_ATTENTION + " attention views are being computed already: retry in a second."));
            return;
        }
        AttentionSource.Attention result;
        try {
            result = settings.attention.attend(text);
        } finally {
            attentionViews.release();
        }
        Integer layer = index(query.get("layer"), result.layers());
        Integer head = index(query.get("head"), result.heads());
        if (layer == null || head == null) {
            sendJson(exchange, 400, Map.of("error", "layer must be 0 to " + (result.layers() - 1)
                    + " and head 0 to " + (result.heads() - 1) + "."));
            return;
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("tokens", result.tokens());
        body.put("layers", result.layers());
        body.put("heads", result.heads());
        body.put("layer", layer);
        body.put("head", head);
        body.put("weights", result.weights()[layer][head]); // [n][n]: row = query token, column = key token
        sendJson(exchange, 200, body);
    }

    /** A parameter in [0, size), 0 when absent, null when invalid. */
    private static Integer index(String raw, int size) {
        if (raw == null || raw.isEmpty()) return 0;
        try {
            int i = Integer.parseInt(raw);
            return i >= 0 && i < size ? i : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> query(URI uri) {
        var out = new LinkedHashMap<String, String>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static void page(HttpExchange exchange, String resource) throws IOException {
        resource(exchange, resource, "text/html; charset=utf-8");
    }

    private static void resource(HttpExchange exchange, String resource, String contentType) throws IOException {
        try (InputStream in = StatusServer.class.getResourceAsStream(resource)) {
            if (in == null) throw new UncheckedIOException(new IOException("Page " + resource + " is missing from the jar."));
            // nothing on our pages comes from elsewhere (no CDN); the status page runs no inline script at all, so even
            // an event text that slipped into the page as HTML could not run
            String scripts = resource.equals("index.html") ? "'self'" : "'self' 'unsafe-inline'";
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            send(exchange, 200, contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) exchange.getResponseBody().write(bytes);
    }

    /** What the server shows; everything but the state supplier has a harmless default. */
    public static final class Builder {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8080;

        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Supplier<String> state;
        private PrometheusRegistry metrics = new PrometheusRegistry();
        private Map<String, ?> config = Map.of();
        private EventFeed events = new EventFeed(50);
        private AttentionSource attention;
        private MetricsHistory history;
        private TopologyGraph topology;
        private DeadLetterFeed deadLetters;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private final List<AutoCloseable> closeWith = new ArrayList<>();
        private boolean allowRemote;
        private int maxConcurrentRequests = MAX_CONCURRENT_REQUESTS;

        private Builder() {}

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        /**
         * Whether the server may listen on an address other machines reach (e.g. {@code 0.0.0.0} in a container).
         * Default false: {@link #start} refuses any address but loopback, since the pages have no login.
         */
        public Builder allowRemote(boolean value) {
            this.allowRemote = value;
            return this;
        }

        /** Fewer requests answered at once than {@value #MAX_CONCURRENT_REQUESTS} (tests). */
        Builder maxConcurrentRequests(int value) {
            this.maxConcurrentRequests = value;
            return this;
        }

        /** 1..65535 to listen there; 0 for any free port (read it back with {@link #port()}). */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("HTTP port must be 0 (any free port) to 65535, got " + value + ".");
            }
            this.port = value;
            return this;
        }

        /** Listen on any free port (tests, several pipelines on one host): {@code port(0)}. */
        public Builder anyFreePort() {
            return port(0);
        }

        /** The Kafka Streams state name, e.g. {@code () -> streams.state().name()}. */
        public Builder state(Supplier<String> value) {
            this.state = value;
            return this;
        }

        public Builder metrics(PrometheusRegistry value) {
            this.metrics = value;
            return this;
        }

        /** The pipeline configuration to show (secrets are hidden, see {@link ConfigSummary}). */
        public Builder config(Map<String, ?> value) {
            this.config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(value));
            return this;
        }

        public Builder events(EventFeed value) {
            this.events = value;
            return this;
        }

        public Builder attention(AttentionSource value) {
            this.attention = value;
            return this;
        }

        /** The charts' series (the caller samples it, e.g. {@link MetricsHistory#startSampling}). */
        public Builder history(MetricsHistory value) {
            this.history = value;
            return this;
        }

        /** The topology picture's stages and topics. */
        public Builder topology(TopologyGraph value) {
            this.topology = value;
            return this;
        }

        /** The dead letters to show (filled e.g. by a {@link DeadLetterTail}). */
        public Builder deadLetters(DeadLetterFeed value) {
            this.deadLetters = value;
            return this;
        }

        /** Closed with the server (e.g. the {@link MetricsHistory} sampler). */
        public Builder closeWith(AutoCloseable value) {
            this.closeWith.add(value);
            return this;
        }

        /** Starts the server. */
        public StatusServer start() throws IOException {
            if (state == null) throw new IllegalStateException("The status server needs a state supplier (the Kafka Streams state).");
            if (!allowRemote && !loopback(host)) {
                throw new IllegalArgumentException("The status server would listen on " + host + ", which other machines reach, and its"
                        + " pages have no login: bind it to 127.0.0.1, or allow it explicitly with --http-allow-remote (topology file:"
                        + " http.allowRemote: true) behind a firewall or proxy.");
            }
            try {
                return new StatusServer(this);
            } catch (java.net.BindException e) {
                throw new IOException("Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "): choose another port with --http-port (0: any free one), or turn the status server off with --no-http.", e);
            }
        }

        private static boolean loopback(String host) {
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("Cannot resolve the status server's host " + host
                        + ": use an IP address such as 127.0.0.1, or a name this machine resolves.", e);
            }
        }
    }
}
