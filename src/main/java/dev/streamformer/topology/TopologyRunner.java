package dev.streamformer.topology;

import dev.streamformer.model.ModelRegistry;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.Task;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a checked topology: one {@link Pipeline} (one Kafka Streams client) per stage, in this JVM.
 *
 * <p>Each stage gets {@code application.id = <base>-<stage name>}, where the base is the {@code kafka} block's
 * {@code application.id} or {@code streamformer-<topology name>}; so stages commit and scale independently, and
 * a second process started on the same file shares the work. Local state lives under {@code $STREAMFORMER_HOME/state}
 * unless the kafka block sets {@code state.dir}. Stages naming the same model (and engine) share one
 * copy of the weights: tasks are built through the per-JVM model cache.
 */
public final class TopologyRunner implements AutoCloseable {

    private final TopologyLoader.Plan plan;
    private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();
    private final List<Task> tasks = new ArrayList<>();

    public TopologyRunner(TopologyLoader.Plan plan) {
        this.plan = plan;
        Map<String, Task> tasksBySpec = new HashMap<>();
        try {
            for (TopologyLoader.StagePlan stage : plan.stages()) {
                Task task = tasksBySpec.computeIfAbsent(stage.task().toString(), k -> {
                    Task t = stage.task().create();
                    tasks.add(t);
                    return t;
                });
                var config = stageConfig(plan, stage);
                pipelines.put(stage.name(), new Pipeline(config, task, cacheSettings(stage.task())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * What keys a stage's cached results besides the model and text: every task setting, plus for zero-shot classify
     * the form of its output ({@code score} became a probability, the cosine {@code similarity}), so that results
     * cached by an earlier version, with the cosine as score, are not served again.
     */
    static String cacheSettings(dev.streamformer.task.factory.TaskSpec spec) {
        return spec.labels() == null ? spec.toString() : spec + " zero-shot score=softmax(20·cosine), similarity=cosine";
    }

    /**
     * The stage's pipeline settings with the kafka block and the two defaults that keep pipelines apart:
     * {@code application.id} (see the class comment) and {@code state.dir = $STREAMFORMER_HOME/state}
     * (default {@code ~/.cache/streamformer/state}), not the OS temp directory Kafka Streams would pick.
     */
    public static PipelineConfig stageConfig(TopologyLoader.Plan plan, TopologyLoader.StagePlan stage) {
        String base = String.valueOf(plan.kafka().getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "streamformer-" + plan.name()));
        var pipeline = stage.pipeline().streamsConfig(plan.kafka())
                .streamsConfig(StreamsConfig.APPLICATION_ID_CONFIG, base + "-" + stage.name());
        if (!plan.kafka().containsKey(StreamsConfig.STATE_DIR_CONFIG)) {
            pipeline.streamsConfig(StreamsConfig.STATE_DIR_CONFIG, ModelRegistry.defaultCacheDir().resolve("state").toString());
        }
        return pipeline.build();
    }

    public TopologyLoader.Plan plan() { return plan; }

    public Map<String, Pipeline> pipelines() { return pipelines; }

    public void start() {
        pipelines.values().forEach(Pipeline::start);
    }

    /** The topology as Kafka Streams describes it, stage by stage. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        pipelines.forEach((name, p) -> sb.append("stage ").append(name).append(":\n").append(p.describe()).append('\n'));
        return sb.toString();
    }

    /** RUNNING when every stage runs; otherwise the first stage's state that is not RUNNING. */
    public KafkaStreams.State state() {
        for (Pipeline p : pipelines.values()) if (p.state() != KafkaStreams.State.RUNNING) return p.state();
        return KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        pipelines.values().forEach(Pipeline::close);
        tasks.forEach(Task::close);
    }

    /** Whether every stage's Kafka cluster answers within {@code timeout} (asked once per distinct cluster). */
    public boolean kafkaAnswers(java.time.Duration timeout) {
        var asked = new java.util.HashSet<Object>();
        for (Pipeline p : pipelines.values()) {
            if (asked.add(p.config().streamsProperties().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) && !p.kafkaAnswers(timeout)) return false;
        }
        return true;
    }

    /**
     * Closes the stages, waiting at most {@code timeout} in all (for a shutdown while Kafka is away: there is nothing
     * to commit to, and a clean close would wait out the clients' timeouts).
     *
     * @return false when some stream threads had not stopped in time; their models are then left open (the threads may
     *         still be using them) for the JVM's exit to free
     */
    public boolean close(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean stopped = true;
        for (Pipeline p : pipelines.values()) {
            stopped &= p.close(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (stopped) tasks.forEach(Task::close);
        return stopped;
    }
}
