package dev.streamformer.app;

import dev.streamformer.http.DeadLetterFeed;
import dev.streamformer.http.DeadLetterTail;
import dev.streamformer.http.MetricsHistory;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.http.StatusServer;
import dev.streamformer.http.TopologyGraph;
import dev.streamformer.metrics.StreamformerMetrics;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.topology.TopologyLoader;
import dev.streamformer.topology.TopologyRunner;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Starts the status server for a topology: health from the stages' states, metrics (every stage reports into one
 * {@link StreamformerMetrics}, labelled by stage name), the charts' history (read every second), the topology
 * picture, the dead letters (read from the dead-letter topics), config, the live feed of enriched events, attention
 * view. Call it before {@link TopologyRunner#start()} so that the metrics count from the first record.
 */
final class StatusWiring {

    /** Events the live feed keeps; dead letters the page keeps. */
    static final int FEED_EVENTS = 50, DEAD_LETTERS = 100;

    private StatusWiring() {}

    static StatusServer start(TopologyRunner runner, String host, boolean allowRemote, int port) throws IOException {
        var tasks = new LinkedHashMap<String, TopologyLoader.StagePlan>();
        runner.plan().stages().forEach(s -> tasks.put(s.name(), s));
        var stages = new ArrayList<TopologyGraph.Stage>();
        runner.pipelines().forEach((name, p) -> {
            TopologyLoader.StagePlan plan = tasks.get(name);
            stages.add(graphStage(name, plan == null ? null : plan.task().task(), plan == null ? null : plan.task().model(), p.config()));
        });
        String attentionModel = runner.plan().stages().stream()
                .filter(s -> !s.task().task().equals("generate")).map(s -> s.task().model()).findFirst().orElse(null);
        return start(runner.pipelines(), new TopologyGraph(runner.plan().name(), stages), () -> runner.state().name(),
                runner.plan().kafka(), attentionModel, host, allowRemote, port);
    }

    /** One stage of the topology picture, from its pipeline settings. */
    static TopologyGraph.Stage graphStage(String name, String task, String model, PipelineConfig config) {
        return new TopologyGraph.Stage(name, task, model,
                config.inputTopic() != null ? config.inputTopic() : config.inputPattern(), config.outputTopic(), config.deadLetterTopic(),
                config.routing() == null ? Map.of() : config.routing().topicsByValue());
    }

    /**
     * The status server for any set of running pipelines (a topology's stages, or the demo's one).
     *
     * @param shownConfig    the configuration the page shows (secrets hidden)
     * @param attentionModel the model of the attention view; null: none
     */
    static StatusServer start(Map<String, Pipeline> pipelines, TopologyGraph graph, Supplier<String> state,
                              Map<String, ?> shownConfig, String attentionModel, String host, boolean allowRemote, int port)
            throws IOException {
        StreamformerMetrics metrics = new StreamformerMetrics();
        metrics.bridgeKafkaStreams(() -> allKafkaMetrics(pipelines));
        var feed = new EventFeed(FEED_EVENTS);
        pipelines.forEach((stage, pipeline) -> {
            pipeline.reportTo(metrics, stage, feed);
            metrics.stageUp(stage, () -> pipeline.formatUnavailable() != null ? 0 : switch (pipeline.state()) {
                case RUNNING, REBALANCING -> 1;
                default -> 0;
            });
        });
        var history = new MetricsHistory(metrics).startSampling(Duration.ofSeconds(1));
        var deadLetters = new DeadLetterFeed(DEAD_LETTERS);
        var builder = StatusServer.builder().host(host).allowRemote(allowRemote).port(port).state(() -> healthState(pipelines, state))
                .metrics(metrics.registry()).config(shownConfig).events(feed).history(history).topology(graph).deadLetters(deadLetters)
                .closeWith(history);
        if (attentionModel != null) builder.attention(new JavaEngineAttention(attentionModel));
        StatusServer server;
        try {
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            history.close();
            throw e;
        }
        List<String> dlqTopics = graph.deadLetterTopics();
        if (!dlqTopics.isEmpty() && !pipelines.isEmpty()) {
            Map<String, Object> kafka = new HashMap<>();
            pipelines.values().iterator().next().config().streamsProperties().forEach((k, v) -> kafka.put(String.valueOf(k), v));
            server.closeAlso(DeadLetterTail.start(kafka, dlqTopics, deadLetters));
        }
        return server;
    }

    /**
     * The state {@code /health} reports: {@value #FORMAT_UNAVAILABLE} (DOWN) while a stage waits for its value format
     * (e.g. an unreachable schema registry; its records are retried, not dropped), else the pipelines' state.
     */
    static String healthState(Map<String, Pipeline> pipelines, Supplier<String> state) {
        for (Pipeline p : pipelines.values()) {
            if (p.formatUnavailable() != null) return FORMAT_UNAVAILABLE;
        }
        return state.get();
    }

    static final String FORMAT_UNAVAILABLE = "FORMAT_UNAVAILABLE";

    private static Map<MetricName, ? extends Metric> allKafkaMetrics(Map<String, Pipeline> pipelines) {
        Map<MetricName, Metric> all = new HashMap<>();
        for (Pipeline p : pipelines.values()) all.putAll(p.kafkaStreams().metrics());
        return all;
    }
}
