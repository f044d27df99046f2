package dev.streamformer.streams;

import dev.streamformer.event.FormatUnavailableException;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.StreamformerMetrics;
import dev.streamformer.task.Task;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * One running enrichment pipeline: the {@link EnrichmentTopology} on a {@link KafkaStreams} client.
 *
 * <pre>{@code
 * try (Task task = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
 *      Pipeline pipeline = new Pipeline(config, task)) {
 *     System.out.println(pipeline.describe());
 *     pipeline.start();
 *     ... pipeline.counters() ...
 * }
 * }</pre>
 *
 * Scaling out is Kafka's: start more instances (processes) with the same {@code application.id}, or raise
 * {@code num.stream.threads}; they share the input partitions. The task is shared by all threads of this instance.
 * The pipeline does not close the task: whoever loaded it does.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final PipelineConfig config;
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final Topology topology;
    private final CommittedLag lag;
    private volatile KafkaStreams streams; // created on first use: describing a pipeline opens no connection

    public Pipeline(PipelineConfig config, Task task) {
        this(config, task, task.name());
    }

    /**
     * @param taskSettings names every task setting that can change a result (e.g. the stage's
     *                     {@code TaskSpec}); it keys the inference cache, if the config turns it on
     */
    public Pipeline(PipelineConfig config, Task task, String taskSettings) {
        this.config = config;
        this.topology = EnrichmentTopology.build(config, task, taskSettings, metrics);
        this.lag = new CommittedLag(config);
        log.debug("Topology:\n{}", topology.describe());
    }

    private KafkaStreams createStreams() {
        Properties props = config.streamsProperties();
        KafkaStreams created;
        try {
            created = new KafkaStreams(topology, props);
        } catch (StreamsException e) {
            throw LocalState.explain(config, e);
        }
        created.setUncaughtExceptionHandler(error -> {
            if (causedByUnavailableFormat(error)) {
                log.warn("The value format stayed unavailable for a quarter of max.poll.interval.ms; the stream thread is replaced"
                        + " and reads the uncommitted records again ({})", metrics.formatUnavailable());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            log.error("Stream thread failed; the pipeline stops (uncommitted work is rolled back and redone on restart)", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        return created;
    }

    private static boolean causedByUnavailableFormat(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof FormatUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks Kafka (reachable, topics, the application.id not taken by another pipeline) and the local state (reset
     * when the cluster no longer has its changelogs), then starts the stream threads and returns (see {@link #state()}).
     *
     * @throws IllegalStateException when Kafka cannot be reached, the input topic does not exist, or the application.id
     *                               belongs to another pipeline
     */
    public void start() {
        Set<String> topics = TopicCheck.run(config);
        if (LocalState.orphaned(config, topics)) {
            log.warn("The local state of application.id {} in {} belongs to a Kafka cluster that no longer has this application's"
                            + " changelog topics (a new or reset broker); it was reset, and the pipeline starts from the committed offsets.",
                    config.applicationId(), LocalState.directory(config));
            kafkaStreams().cleanUp();
        }
        log.info("Pipeline {} → {} (dead letters: {}) starting, application.id {}", config.inputName(), config.outputTopic(),
                config.deadLetterTopic(), config.applicationId());
        kafkaStreams().start();
    }

    /**
     * What {@link #start()} checks on Kafka's side (reachable, input topic, application.id), without a task: call it
     * before loading a model, so that a missing broker is reported within seconds.
     */
    public static void checkKafka(PipelineConfig config) {
        TopicCheck.run(config);
    }

    /** The topology as Kafka Streams prints it: every node by name, with its topics and store. */
    public String describe() {
        return topology.describe().toString();
    }

    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    /** Why the stage's value format cannot read or write records for now (they wait, see {@link FormatRetry}); null while it can. */
    public String formatUnavailable() {
        return metrics.formatUnavailable();
    }

    public PipelineMetrics.Counters counters() {
        return metrics.snapshot();
    }

    /**
     * Also report into the process's shared metrics (labelled {@code stage}) and push enriched events into
     * {@code feed} (null: none). Call it before {@link #start()} so that nothing goes uncounted.
     */
    public void reportTo(StreamformerMetrics sharedMetrics, String stage, EventFeed feed) {
        metrics.reportTo(sharedMetrics, stage, feed);
        sharedMetrics.consumerLag(stage, this::lag);
    }

    /**
     * Input records not yet committed by this application (all its instances), as {@code kafka-consumer-groups.sh}
     * counts them; read from Kafka at most every 5 s; NaN while Kafka cannot be asked.
     */
    public double lag() {
        return lag.records();
    }

    public PipelineConfig config() {
        return config;
    }

    /** The Kafka Streams client, for metrics, state listeners and queries; created (not started) on the first call. */
    public synchronized KafkaStreams kafkaStreams() {
        if (streams == null) streams = createStreams();
        return streams;
    }

    /**
     * Clean shutdown: commits what is done (pending batches stay in their changelog for the next owner) and leaves the
     * consumer group, so that the other instances take over this instance's partitions at once instead of after
     * {@code session.timeout.ms} (45 s by default).
     */
    @Override
    public void close() {
        if (!close(Duration.ofSeconds(30))) log.warn("Kafka Streams did not shut down within 30 s");
    }

    /**
     * As {@link #close()}, waiting at most {@code timeout} for the stream threads.
     *
     * @return false when they had not stopped by then (they may still be using the task)
     */
    public boolean close(Duration timeout) {
        lag.close();
        KafkaStreams current = streams;
        if (current == null) return true;
        return current.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    /**
     * Whether the Kafka cluster answers a metadata request within {@code timeout}: before a clean shutdown, which
     * commits and leaves the group, and without a broker could only wait for its timeouts.
     */
    public boolean kafkaAnswers(Duration timeout) {
        var streamsConfig = new org.apache.kafka.streams.StreamsConfig(config.streamsProperties());
        var adminConfig = streamsConfig.getAdminConfigs("streamformer-shutdown-check");
        adminConfig.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        adminConfig.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (var admin = org.apache.kafka.clients.admin.Admin.create(adminConfig)) {
            try {
                admin.describeCluster().nodes().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            } finally {
                admin.close(Duration.ZERO);
            }
        } catch (RuntimeException e) {
            return false;
        }
    }
}
