package dev.streamformer.app;

import dev.streamformer.http.StatusServer;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.topology.TopologyFile;
import dev.streamformer.topology.TopologyLoader;
import dev.streamformer.topology.TopologyRunner;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code streamformer run}: the enrichment pipeline against a Kafka cluster, from flags or a topology file. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a pipeline on Kafka: read events from a topic, add embeddings, labels or generated text, write them"
                + " to another topic, bad records to a dead-letter topic; exactly once. Stops cleanly on Ctrl-C / SIGTERM.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--topology", paramLabel = "FILE", description = "A topology file (topology/*.yaml); flags below then only add Kafka settings.")
    Path topology;

    @Option(names = "--input-topic", paramLabel = "TOPIC", description = "The topic to read, or several separated by commas.") String inputTopic;
    @Option(names = "--input-pattern", paramLabel = "REGEX", description = "Instead of --input-topic: read every topic whose name matches, also ones created later.") String inputPattern;
    @Option(names = "--output-topic", paramLabel = "TOPIC") String outputTopic;
    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "Dead-letter topic. Default: <input>.dlq.") String dlqTopic;
    @Option(names = "--task", paramLabel = "embed|classify|rerank|entities|generate", defaultValue = "embed", description = "Default: ${DEFAULT-VALUE}.") String task;
    @Option(names = "--text-field", defaultValue = "text", description = "Default: ${DEFAULT-VALUE}.") String textField;
    @Option(names = "--max-text-bytes", paramLabel = "N", defaultValue = "" + PipelineConfig.DEFAULT_MAX_TEXT_BYTES,
            description = "Longer texts (UTF-8 bytes) go to the dead-letter topic. Default: ${DEFAULT-VALUE}.") int maxTextBytes;
    @Option(names = "--value-format", paramLabel = "json|text|avro|protobuf|json-schema", defaultValue = "json",
            description = "How record values are read: a JSON object, or text (the whole value is the text), or a record of --schema-file (avro: raw Avro binary, written back as Avro of the schema plus the result fields; protobuf: raw Protobuf binary, written back as the message plus the result fields; json-schema: JSON checked against the schema). Default: ${DEFAULT-VALUE}.") String valueFormat;
    @Option(names = "--schema-file", paramLabel = "FILE",
            description = "With --value-format avro, protobuf or json-schema: the producer's schema (.avsc; .proto, FILE.proto#package.Message when it declares several, or a protoc descriptor set; a JSON Schema file).") String schemaFile;
    @Option(names = "--output-format", paramLabel = "json|text",
            description = "With --value-format text: write JSON (default), or text (the generated text alone).") String outputFormat;
    @Option(names = "--text-template", paramLabel = "TEMPLATE",
            description = "The text made from several fields instead of --text-field, e.g. \"{title}\\n\\n{body}\"; a missing field goes to the dead-letter topic (missing-field).") String textTemplate;
    @Option(names = "--output-field", paramLabel = "FIELD", description = "Put the result (and model) into this one field instead of next to the input fields.") String outputField;
    @Option(names = "--output-header", paramLabel = "NAME", description = "Put the result, as JSON, into this record header and leave the value as it came.") String outputHeader;
    @Option(names = "--drop-input-fields", description = "Write the result alone, without the input fields (default: keep them).") boolean dropInputFields;
    @Option(names = "--vector-encoding", paramLabel = "json|base64-f32|base64-f16|int8",
            description = "embed: the embedding as a JSON array (default), or base64 of little-endian float32, float16 or int8 (with embedding_scale).") String vectorEncoding;
    @Option(names = "--dimensions", paramLabel = "N",
            description = "embed: keep the first N numbers of the embedding and scale it back to length 1 (Matryoshka models).") Integer dimensions;
    @Option(names = "--tombstones", paramLabel = "pass|drop", defaultValue = "pass",
            description = "Records with a null value (deletes): pass them to the output topic unchanged, or drop them (counted). Default: ${DEFAULT-VALUE}.") String tombstones;
    @Option(names = "--max-wait-ms", defaultValue = "50", description = "A part-full batch is flushed once its input has paused this long. Default: ${DEFAULT-VALUE}.") int maxWaitMs;
    @Option(names = "--route", paramLabel = "VALUE=TOPIC", description = "classify: send events with this label to this topic (repeatable).") List<String> routes;
    @Option(names = "--route-field", defaultValue = "label", description = "The result field routes look at. Default: ${DEFAULT-VALUE}.") String routeField;
    @Option(names = "--cache", description = "Keep results in a changelogged inference cache, so replays and duplicate texts skip the model.") boolean cache;
    @Option(names = "--cache-max-entries", defaultValue = "100000", description = "Cache entries kept per input partition; the oldest go first. Default: ${DEFAULT-VALUE}.") int cacheMaxEntries;
    @Option(names = "--describe", description = "Print the Kafka Streams topology and exit.") boolean describe;
    @Option(names = "--http-port", paramLabel = "PORT", description = "Status server port (/health, /metrics, /attention; 0: any free port). Default: the topology file's, else 8080.") Integer httpPort;
    @Option(names = "--no-http", description = "No status server.") boolean noHttp;
    @Option(names = "--http-host", description = "Address the status server binds to. Default: 127.0.0.1 (this machine only); 0.0.0.0 in a container, with --http-allow-remote.") String httpHost;
    @Option(names = "--http-allow-remote", description = "Let the status server listen on an address other machines reach (its pages show event texts and have no login): only behind a firewall or proxy.") boolean httpAllowRemote;

    @Mixin KafkaOptions kafka;
    @Mixin TaskOptions options;

    @Override
    public Integer call() throws Exception {
        TopologyLoader.Plan plan = plan();
        if (!describe) {
            // before loading any model: no broker, a missing topic or a taken application.id is known within seconds
            plan.stages().forEach(stage -> Pipeline.checkKafka(TopologyRunner.stageConfig(plan, stage)));
        }
        try (TopologyRunner runner = new TopologyRunner(plan)) {
            if (describe) {
                System.out.println(runner.describe());
                return 0;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                if (runner.kafkaAnswers(Duration.ofSeconds(2))) {
                    System.err.println("streamformer: stopping (pending batches stay in their changelog for the next start) ...");
                    runner.close();
                } else {
                    // nothing to commit to: a clean close would wait out the clients' timeouts while they log each retry
                    quietKafkaLogs();
                    System.err.println("streamformer: Kafka at " + plan.kafka().get("bootstrap.servers") + " does not answer; stopping"
                            + " without a final commit (records since the last commit are processed again on the next start).");
                    runner.close(Duration.ofSeconds(3));
                }
                stopped.countDown();
            }, "streamformer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Integer port = noHttp ? null : httpPort != null ? httpPort : plan.httpPort();
            var status = port == null ? Optional.<StatusServer>empty()
                    : Optional.of(StatusWiring.start(runner, httpHost != null ? httpHost : plan.httpHost(),
                            httpAllowRemote || plan.httpAllowRemote(), port));
            runner.start();
            runner.pipelines().forEach((stage, pipeline) -> System.err.println("streamformer: stage " + stage + ": application.id "
                    + pipeline.config().applicationId() + ", local state in " + pipeline.config().streamsProperties().get("state.dir")));
            status.ifPresent(server -> System.err.println("streamformer: status on http://" + server.host() + ":" + server.port()
                    + "/ (health: /health, metrics: /metrics, attention: /attention)"));
            System.err.println("streamformer: running " + plan.stages().size() + " stage(s) on " + plan.kafka().get("bootstrap.servers")
                    + "; Ctrl-C to stop");
            while (!stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                KafkaStreams.State state = runner.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                    System.err.println("streamformer: the pipeline stopped in state " + state + "; see the log above for why.");
                    return 1;
                }
            }
            return 0;
        }
    }

    TopologyLoader.Plan plan() throws Exception {
        Map<String, Object> kafkaProps = kafka.properties();
        if (topology != null) {
            TopologyLoader.Plan fromFile = TopologyLoader.load(topology);
            Map<String, Object> merged = new LinkedHashMap<>(fromFile.kafka());
            merged.putAll(kafkaProps);
            return new TopologyLoader.Plan(fromFile.name(), merged, fromFile.httpPort(), fromFile.httpHost(), fromFile.httpAllowRemote(),
                    fromFile.stages());
        }
        if ((inputTopic == null && inputPattern == null) || outputTopic == null) {
            throw new IllegalArgumentException("Say what to read and write: --input-topic (or --input-pattern) and --output-topic, or a --topology file.");
        }
        var stage = new TopologyFile.Stage(task, options.settings(task), input(), batching(), output(), cache());
        String name = pipelineName(inputTopic != null ? inputTopic : inputPattern, options.model.model);
        return TopologyLoader.check("command line", new TopologyFile(name, kafkaProps, new TopologyFile.Http(null, httpPort, null, null),
                List.of(stage)));
    }

    /** The flags that say what is read and how it becomes text. */
    TopologyFile.Input input() {
        return new TopologyFile.Input(inputTopic, inputPattern, valueFormat, schemaFile, textField, textTemplate, maxTextBytes, tombstones);
    }

    TopologyFile.Batching batching() {
        return new TopologyFile.Batching(options.batch.maxTokens, options.batch.maxBatch, maxWaitMs);
    }

    /** The flags that say where results go and their shape. */
    TopologyFile.Output output() {
        return new TopologyFile.Output(outputTopic, dlqTopic, route(), outputFormat, outputField, outputHeader,
                dropInputFields ? Boolean.TRUE : null, vectorEncoding, dimensions);
    }

    TopologyFile.Cache cache() {
        return cache ? new TopologyFile.Cache(true, cacheMaxEntries) : null;
    }

    /** {@code --route VALUE=TOPIC} (repeatable) over {@code --route-field}; null without routes. */
    TopologyFile.Route route() {
        if (routes == null) return null;
        Map<String, String> topics = new LinkedHashMap<>();
        for (String r : routes) {
            int eq = r.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--route '" + r + "' is not VALUE=TOPIC: write e.g. --route positive=reviews.positive.");
            topics.put(r.substring(0, eq), r.substring(eq + 1));
        }
        return new TopologyFile.Route(routeField, topics);
    }

    /**
     * The name a flag-defined pipeline goes by, {@code <input topic>-<model>} (a model directory by its last name), so
     * that its default application.id, {@code streamformer-<input>-<model>-<task>}, differs from another pipeline's.
     */
    static String pipelineName(String inputTopic, String model) {
        Path modelPath = Path.of(model).normalize().getFileName();
        String modelName = modelPath == null || modelPath.toString().isEmpty() ? "model" : modelPath.toString();
        return (inputTopic + "-" + modelName).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** The Kafka clients' and Kafka Streams' own logs off (a shutdown with the broker away: one sentence says it all). */
    static void quietKafkaLogs() {
        for (String name : new String[]{"org.apache.kafka", "kafka"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }
}
