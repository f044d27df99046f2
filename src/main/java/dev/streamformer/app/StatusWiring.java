package dev.streamformer.app;

import dev.streamformer.metrics.EventFeed;
import dev.streamformer.http.StatusServer;
import dev.streamformer.metrics.MetricsRegistry;
import dev.streamformer.metrics.StreamformerMetrics;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.topology.TopologyRunner;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the status server for a topology: health from the stages' states, metrics (every stage reports into one
 * {@link StreamformerMetrics}, labelled by stage name), config, the live feed of enriched events, attention view.
 * Call it before {@link TopologyRunner#start()} so that the metrics count from the first record.
 */
final class StatusWiring {

    private StatusWiring() {}

    static StatusServer start(TopologyRunner runner, String host, int port) throws IOException {
        MetricsRegistry registry = new MetricsRegistry();
        StreamformerMetrics metrics = new StreamformerMetrics(registry);
        metrics.bridgeKafkaStreams(() -> allKafkaMetrics(runner));
        var feed = new EventFeed(50);
        runner.pipelines().forEach((stage, pipeline) -> pipeline.reportTo(metrics, stage, feed));
        String attentionModel = runner.plan().stages().stream()
                .filter(s -> !s.task().task().equals("generate")).map(s -> s.task().model()).findFirst().orElse(null);
        var builder = StatusServer.builder().host(host).port(port).state(() -> runner.state().name())
                .metrics(registry).config(runner.plan().kafka()).events(feed);
        if (attentionModel != null) builder.attention(new JavaEngineAttention(attentionModel));
        return builder.start();
    }

    private static Map<MetricName, ? extends Metric> allKafkaMetrics(TopologyRunner runner) {
        Map<MetricName, Metric> all = new HashMap<>();
        for (Pipeline p : runner.pipelines().values()) all.putAll(p.kafkaStreams().metrics());
        return all;
    }
}
