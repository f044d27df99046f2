package dev.streamformer.app;

import dev.streamformer.http.EventFeed;
import dev.streamformer.http.StatusServer;
import dev.streamformer.metrics.ConsumerLag;
import dev.streamformer.metrics.MetricsRegistry;
import dev.streamformer.metrics.StreamformerMetrics;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.topology.TopologyRunner;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Starts the status server for a running topology: health from the stages' states, metrics, config, attention view. */
final class StatusWiring {

    private StatusWiring() {}

    static Optional<StatusServer> start(TopologyRunner runner, String host, int port) throws IOException {
        MetricsRegistry registry = new MetricsRegistry();
        StreamformerMetrics metrics = new StreamformerMetrics(registry);
        metrics.bridgeKafkaStreams(() -> allKafkaMetrics(runner));
        metrics.consumerLag(() -> ConsumerLag.total(allKafkaMetrics(runner)));
        var perStage = registry.gauge("streamformer_stage_records", "Records a stage has handled so far, by outcome (in, out, dlq).",
                "stage", "outcome");
        runner.pipelines().forEach((stage, pipeline) -> {
            perStage.labels(stage, "in").setSupplier(() -> pipeline.counters().recordsIn());
            perStage.labels(stage, "out").setSupplier(() -> pipeline.counters().recordsOut());
            perStage.labels(stage, "dlq").setSupplier(() -> pipeline.counters().deadLetters());
        });
        String attentionModel = runner.plan().stages().stream()
                .filter(s -> !s.task().task().equals("generate")).map(s -> s.task().model()).findFirst().orElse(null);
        var builder = StatusServer.builder().host(host).port(port).state(() -> runner.state().name())
                .metrics(registry).config(runner.plan().kafka()).events(new EventFeed(50));
        if (attentionModel != null) builder.attention(new JavaEngineAttention(attentionModel));
        return builder.start();
    }

    private static Map<MetricName, ? extends Metric> allKafkaMetrics(TopologyRunner runner) {
        Map<MetricName, Metric> all = new HashMap<>();
        for (Pipeline p : runner.pipelines().values()) all.putAll(p.kafkaStreams().metrics());
        return all;
    }
}
