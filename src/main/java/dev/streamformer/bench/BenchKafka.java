package dev.streamformer.bench;

import dev.streamformer.streams.Pipeline;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What the pipeline benchmarks share: starting the pipeline, and reading what it committed. */
final class BenchKafka {

    private BenchKafka() {}

    /** Starts the pipeline and waits until Kafka Streams is {@code RUNNING} (at most 60 s). */
    static void startAndWait(Pipeline pipeline) throws InterruptedException {
        var running = new CountDownLatch(1);
        pipeline.kafkaStreams().setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) running.countDown();
        });
        pipeline.start();
        if (!running.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The benchmark pipeline did not start within 60 s (state " + pipeline.state() + ").");
        }
    }

    /**
     * A {@code read_committed} consumer on every partition of {@code topics}, from the beginning, without a group.
     *
     * @param fetchWaitMs how long the broker may hold a fetch for more data ({@code fetch.max.wait.ms})
     */
    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap, int fetchWaitMs, String... topics) {
        var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchWaitMs),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var partitions = new ArrayList<TopicPartition>();
        for (String topic : List.of(topics)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
