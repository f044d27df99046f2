package dev.streamformer.streams;

import dev.streamformer.http.EventFeed;
import dev.streamformer.metrics.StreamformerMetrics;
import dev.streamformer.task.Task;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Properties;

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
    private final KafkaStreams streams;
    private final CommittedLag lag;

    public Pipeline(PipelineConfig config, Task task) {
        this(config, task, task.name());
    }

    /**
     * @param taskSettings names every task setting that can change a result (e.g. the stage's
     *                     {@link dev.streamformer.task.TaskSpec}); it keys the inference cache, if the config turns it on
     */
    public Pipeline(PipelineConfig config, Task task, String taskSettings) {
        this.config = config;
        this.topology = EnrichmentTopology.build(config, task, taskSettings, metrics);
        Properties props = config.streamsProperties();
        this.streams = new KafkaStreams(topology, props);
        this.lag = new CommittedLag(config);
        streams.setUncaughtExceptionHandler(error -> {
            log.error("Stream thread failed; the pipeline stops (uncommitted work is rolled back and redone on restart)", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        log.debug("Topology:\n{}", topology.describe());
    }

    /**
     * Checks the topics, then starts the stream threads and returns (see {@link #state()}).
     *
     * @throws IllegalStateException when Kafka cannot be reached or the input topic does not exist
     */
    public void start() {
        TopicCheck.run(config);
        log.info("Pipeline {} → {} (dead letters: {}) starting, application.id {}", config.inputTopic(), config.outputTopic(),
                config.deadLetterTopic(), config.streamsProperties().get("application.id"));
        streams.start();
    }

    /** The topology as Kafka Streams prints it: every node by name, with its topics and store. */
    public String describe() {
        return topology.describe().toString();
    }

    public KafkaStreams.State state() {
        return streams.state();
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

    /** The Kafka Streams client, for metrics, state listeners and queries. */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /**
     * Clean shutdown: commits what is done (pending batches stay in their changelog for the next owner) and leaves the
     * consumer group, so that the other instances take over this instance's partitions at once instead of after
     * {@code session.timeout.ms} (45 s by default).
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration timeout) {
        lag.close();
        if (!streams.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            log.warn("Kafka Streams did not shut down within {} s", timeout.toSeconds());
        }
    }
}
