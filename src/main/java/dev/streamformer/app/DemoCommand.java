package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.http.StatusServer;
import dev.streamformer.http.TopologyGraph;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code streamformer demo}: the whole product on one machine. Starts an embedded Kafka broker, produces sample events
 * (a few of them bad on purpose), runs the embedding pipeline with exactly-once processing, reads the results back
 * with a read_committed consumer, prints a few and a summary, and exits. Its status page (charts, topology, dead
 * letters) is up while it runs, and with {@code --follow} until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "End to end on embedded defaults: a Kafka broker in this process, sample events, the embed pipeline on"
                + " the default model, a few enriched events and a summary.")
final class DemoCommand implements Callable<Integer> {

    static final String INPUT = "demo.events", OUTPUT = "demo.events.enriched", DLQ = "demo.events.dlq";
    /** The demo's one stage, as the status page names it. */
    static final String STAGE = "embed";

    @Option(names = "--input", paramLabel = "FILE", description = "JSON Lines to produce instead of the built-in sample events.")
    Path input;

    @Option(names = "--value-format", defaultValue = "json", paramLabel = "json|avro",
            description = "avro: produce the events as Avro records of the bundled schema demo/event.avsc (raw Avro, no registry; a line that is no such record goes as it is), run the stage with --value-format avro and print the enriched records decoded. Default: ${DEFAULT-VALUE}.")
    String valueFormat = "json";

    @Option(names = {"-m", "--model"}, defaultValue = "all-minilm-l6-v2", description = "Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--engine", defaultValue = "onnx", paramLabel = "onnx|java", description = "Default: ${DEFAULT-VALUE}.")
    String engine;

    @Option(names = "--port", defaultValue = "0", description = "Broker port on 127.0.0.1 (0: any free port).")
    int port;

    @Option(names = "--follow", description = "Keep broker, pipeline and status page running after the sample, for kcat or console clients.")
    boolean follow;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Status page port on --http-host (0: any free port; a taken port falls back to a free one). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--http-host", defaultValue = StatusServer.Builder.DEFAULT_HOST,
            description = "Address the status page binds to. Default: ${DEFAULT-VALUE} (this machine only).")
    String httpHost;

    @Option(names = "--http-allow-remote",
            description = "Let the status page listen on an address other machines reach (it shows event texts and has no login).")
    boolean httpAllowRemote;

    @Option(names = "--no-http", description = "No status page.")
    boolean noHttp;

    @Override
    public Integer call() throws Exception {
        if (!valueFormat.equals("json") && !valueFormat.equals("avro")) {
            throw new IllegalArgumentException("The demo's value format is json or avro, not '" + valueFormat + "' (--value-format).");
        }
        DemoAvro avro = valueFormat.equals("avro") ? DemoAvro.bundled() : null;
        List<byte[]> events = avro == null ? readEvents() : readEvents().stream().map(avro::record).toList();
        System.out.println("Starting an embedded Kafka broker (KRaft) ...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null)) {
            broker.createTopics(2, INPUT);
            broker.createTopics(1, OUTPUT, DLQ);
            System.out.println("Loading model " + model + " on " + engine + " ...");
            TaskSpec base = TaskSpec.embed(model);
            TaskSpec spec = new TaskSpec(base.task(), model, new dev.streamformer.task.EngineOptions(engine, "cpu", 0), base.budget(),
                    base.overflow(), null, null, false, 0.5f, 0f, null);
            try (Task task = spec.create()) {
                produce(broker.bootstrapServers(), events);
                System.out.println("Produced " + events.size() + " events to " + INPUT + "; running the pipeline " + INPUT + " → " + OUTPUT
                        + " (dead letters: " + DLQ + ")");
                PipelineConfig config = PipelineConfig.builder().inputTopic(INPUT).outputTopic(OUTPUT).deadLetterTopic(DLQ)
                        .valueFormat(avro == null ? null : avro.format())
                        .streamsConfig(Map.of("bootstrap.servers", broker.bootstrapServers(), "application.id", "streamformer-demo",
                                "commit.interval.ms", "200", "state.dir", demoStateDir().toString()))
                        .build();
                try (Pipeline pipeline = new Pipeline(config, task);
                     StatusServer status = noHttp ? null : startStatus(pipeline, broker.bootstrapServers())) {
                    long start = System.nanoTime();
                    pipeline.kafkaStreams().cleanUp(); // a state left by an earlier demo belongs to another broker
                    pipeline.start();
                    Results results = consume(broker.bootstrapServers(), events.size(), Duration.ofMinutes(5), start, avro);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    printSamples(results.enriched, avro != null);
                    var c = pipeline.counters();
                    System.out.printf(Locale.ROOT, "%nSummary: %d events in, %d enriched, %d to the dead-letter topic; %.1f records/s,"
                                    + " %.0f tokens/s, %d model calls (%.1f s end to end, exactly once)%n",
                            events.size(), results.enriched.size(), results.deadLetters, results.enriched.size() / seconds,
                            c.tokens() / seconds, c.modelCalls(), seconds);
                    if (follow) {
                        System.out.println("\nStill running. Produce JSON events to " + INPUT + " at " + broker.bootstrapServers()
                                + ", e.g.:\n  echo '{\"text\":\"hello\"}' | kcat -P -b " + broker.bootstrapServers() + " -t " + INPUT
                                + "\n  kcat -C -b " + broker.bootstrapServers() + " -t " + OUTPUT + " -X isolation.level=read_committed\nCtrl-C to stop.");
                        // the JVM halts once its shutdown hooks return, before this thread could close anything: the hook
                        // itself stops the pipeline and the broker, which deletes its temporary data directory
                        if (status != null) System.out.println("Status page: " + url(status) + " (charts, topology, dead letters)");
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                            System.out.println("Stopping the pipeline and the broker ...");
                            if (status != null) status.close();
                            pipeline.close();
                            broker.close();
                        }, "streamformer-demo-stop"));
                        new CountDownLatch(1).await();
                    }
                    return results.enriched.size() + results.deadLetters == events.size() ? 0 : 1;
                }
            }
        }
    }

    /**
     * The status page of the demo's pipeline (stage {@code demo}), started before the pipeline so that the charts count
     * from the first record; a taken port falls back to any free one, since the demo must not fail for a page.
     */
    private StatusServer startStatus(Pipeline pipeline, String bootstrap) throws IOException {
        var graph = new TopologyGraph("demo", List.of(StatusWiring.graphStage(STAGE, "embed", model, pipeline.config())));
        Map<String, Object> shown = Map.of("bootstrap.servers", bootstrap, "application.id", "streamformer-demo",
                "input", INPUT, "output", OUTPUT, "dead-letters", DLQ, "model", model, "engine", engine);
        StatusServer server;
        try {
            server = StatusWiring.start(Map.of(STAGE, pipeline), graph, () -> pipeline.state().name(), shown, null, httpHost, httpAllowRemote, httpPort);
        } catch (IOException e) {
            if (httpPort == 0) throw e;
            System.out.println("Port " + httpPort + " is taken; the status page takes a free one.");
            server = StatusWiring.start(Map.of(STAGE, pipeline), graph, () -> pipeline.state().name(), shown, null, httpHost, httpAllowRemote, 0);
        }
        System.out.println("Status page: " + url(server) + (follow ? "" : " (up while the demo runs; --follow keeps it up)"));
        return server;
    }

    static String url(StatusServer server) {
        String host = server.host().equals("0.0.0.0") ? "127.0.0.1" : server.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + "/";
    }

    private List<byte[]> readEvents() throws IOException {
        byte[] all;
        if (input != null) {
            all = Files.readAllBytes(input);
        } else {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/events.jsonl")) {
                all = in.readAllBytes();
            }
        }
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (byte b : all) {
            if (b == '\n') {
                if (line.size() > 0) lines.add(line.toByteArray());
                line.reset();
            } else {
                line.write(b);
            }
        }
        if (line.size() > 0) lines.add(line.toByteArray());
        return lines;
    }

    private static void produce(String bootstrap, List<byte[]> events) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int i = 0;
            for (byte[] e : events) producer.send(new ProducerRecord<>(INPUT, ("k" + (i++)).getBytes(StandardCharsets.UTF_8), e));
            producer.flush();
        }
    }

    private record Results(List<JsonNode> enriched, int deadLetters) {}

    /** Reads output and dead-letter topics as an independent read_committed consumer until every event is accounted for. */
    private static Results consume(String bootstrap, int expected, Duration timeout, long start, DemoAvro avro) throws IOException {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "streamformer-demo-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> enriched = new ArrayList<>();
        int dead = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean tty = System.console() != null;
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT, DLQ));
            while (enriched.size() + dead < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(DLQ)) dead++;
                    else enriched.add(avro == null ? json.readTree(r.value()) : avro.decode(r.value()));
                }
                double s = (System.nanoTime() - start) / 1e9;
                String progress = String.format(Locale.ROOT, "  %d/%d events done (%d enriched, %d dead letters), %.1f records/s",
                        enriched.size() + dead, expected, enriched.size(), dead, enriched.size() / Math.max(s, 1e-9));
                System.out.print(tty ? "\r" + progress : "");
            }
            System.out.println(tty ? "" : String.format(Locale.ROOT, "  %d/%d events done (%d enriched, %d dead letters)",
                    enriched.size() + dead, expected, enriched.size(), dead));
        }
        return new Results(enriched, dead);
    }

    private static void printSamples(List<JsonNode> enriched, boolean avro) {
        System.out.println(avro ? "\nA few enriched Avro records, decoded with their evolved schema (embedding shortened):"
                : "\nA few enriched events (embedding shortened):");
        for (JsonNode n : enriched.subList(0, Math.min(3, enriched.size()))) {
            ObjectNode copy = n.deepCopy();
            JsonNode e = copy.get("embedding");
            if (e != null && e.isArray()) {
                var shortened = copy.putArray("embedding");
                for (int i = 0; i < 4; i++) shortened.add(e.get(i));
                shortened.add("... " + e.size() + " values");
            }
            System.out.println("  " + copy);
        }
    }

    /**
     * The demo's state directory, {@code $STREAMFORMER_HOME/demo-state} (default {@code ~/.cache/streamformer/demo-state}):
     * not in the OS temp directory, which Kafka Streams warns about. The demo empties it with {@code KafkaStreams.cleanUp()} before it starts, since every demo
     * starts a new broker.
     */
    private static Path demoStateDir() throws IOException {
        return Files.createDirectories(ModelRegistry.defaultCacheDir().resolve("demo-state"));
    }
}
