package dev.streamformer.streams;

import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.task.Task;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import java.time.Instant;
import java.util.function.Function;

/**
 * One stage on Kafka's TopologyTestDriver, as the topology tests drive it: records go in on {@code events} and come out
 * on {@code enriched} or the dead-letter topic {@code events.dlq}, keys and values as bytes, the driver's clock starting
 * at {@link #T0}. The stage's config needs no broker; without an {@code application.id} it gets a fresh one. Kafka logs at WARN
 * ({@link QuietKafkaLogs}).
 */
final class TopologyRun implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<byte[], byte[]> output;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    private TopologyRun(TopologyTestDriver driver) {
        this.driver = driver;
        this.input = inputTopic("events");
        this.output = outputTopic("enriched");
        this.deadLetters = outputTopic("events.dlq");
    }

    /** The stage {@code EnrichmentTopology.build(config, task, metrics)}. */
    static TopologyRun start(PipelineConfig.Builder builder, Task task, PipelineMetrics metrics) {
        return start(builder, config -> EnrichmentTopology.build(config, task, metrics));
    }

    /** The stage that {@code topology} builds from the config. */
    static TopologyRun start(PipelineConfig.Builder builder, Function<PipelineConfig, Topology> topology) {
        QuietKafkaLogs.apply();
        PipelineConfig config = builder.streamsConfig("bootstrap.servers", "unused:9092").build();
        if (!config.streamsConfig().containsKey("application.id")) {
            config = builder.streamsConfig("application.id", "ttd-" + System.nanoTime()).build();
        }
        return new TopologyRun(new TopologyTestDriver(topology.apply(config), config.streamsProperties(), T0));
    }

    /** Another input topic of the stage (one of several it reads, or one its pattern matches). */
    TestInputTopic<byte[], byte[]> inputTopic(String name) {
        return driver.createInputTopic(name, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Another output topic of the stage (e.g. a route or a store's changelog). */
    TestOutputTopic<byte[], byte[]> outputTopic(String name) {
        return driver.createOutputTopic(name, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
