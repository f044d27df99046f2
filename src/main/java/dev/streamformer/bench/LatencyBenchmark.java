package dev.streamformer.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.streams.PipelineMetrics;
import dev.streamformer.task.Task;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long one event takes from the producer to a consumer that can see its result, through the real pipeline with
 * exactly-once processing, for {@code streamformer bench latency}.
 *
 * <p>Steps, for each setting: fresh topics; start the pipeline; warm it up with a few events; then a producer sends
 * one event at a time at a steady rate (linger 0, each send timed just before it), while a {@code read_committed}
 * consumer (fetch wait 5 ms) reads the output and dead-letter topics and notes when each event's result arrives. All
 * in one JVM, so both clocks are the same {@link System#nanoTime()}.
 *
 * <p>What the time is made of: the producer's send and the broker's append; the stream thread noticing the record
 * (it waits in {@code poll()} up to {@code poll.ms}, 100 ms by default); the partial batch waiting for
 * {@code maxWait} of quiet input; the model; and, under exactly once, the transaction commit
 * ({@code commit.interval.ms}): a {@code read_committed} consumer sees nothing before the commit marker.
 */
public final class LatencyBenchmark {

    private static final int WARM_UP_EVENTS = 20;

    /** One way to run the pipeline: its batching and the Kafka Streams settings over the pipeline's defaults. */
    public record Setting(String name, PipelineConfig.Batching batching, Map<String, Object> streamsConfig) {}

    /**
     * @param micros latency of every measured event, sorted, in microseconds
     */
    public record Result(Setting setting, long[] micros, PipelineMetrics.Counters counters) {
        /** The latency at quantile {@code q} (nearest rank), in milliseconds. */
        public double percentileMillis(double q) {
            if (micros.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(q * micros.length) - 1;
            return micros[Math.clamp(rank, 0, micros.length - 1)] / 1e3;
        }

        public double averageBatchRecords() {
            return counters.batches() == 0 ? 0 : (double) counters.recordsOut() / counters.batches();
        }
    }

    private LatencyBenchmark() {}

    /**
     * Runs one setting: {@code events} events of {@code texts} (cycled) at {@code eventsPerSecond}.
     *
     * @param baseStreamsConfig settings every run shares (state.dir, ...), under the setting's own
     */
    public static Result run(EmbeddedKafkaBroker broker, Task task, List<String> texts, int partitions, Setting setting,
                             Map<String, Object> baseStreamsConfig, double eventsPerSecond, int events) throws InterruptedException {
        String bootstrap = broker.bootstrapServers();
        String prefix = "latency-" + System.currentTimeMillis();
        String input = prefix + "-in", output = prefix + "-out", deadLetters = prefix + "-dlq";
        broker.createTopics(partitions, input, output, deadLetters);
        Map<String, Object> streamsConfig = new LinkedHashMap<>(baseStreamsConfig);
        streamsConfig.putAll(setting.streamsConfig());
        PipelineConfig config = PipelineConfig.builder()
                .inputTopic(input).outputTopic(output).deadLetterTopic(deadLetters).batching(setting.batching())
                .streamsConfig(streamsConfig)
                .streamsConfig("bootstrap.servers", bootstrap)
                .streamsConfig("application.id", prefix)
                .build();
        int total = WARM_UP_EVENTS + events;
        long[] sentAt = new long[total];
        long[] seenAt = new long[total];
        try (var pipeline = new Pipeline(config, task);
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
             var consumer = BenchKafka.committedReader(bootstrap, 5, output, deadLetters)) {
            BenchKafka.startAndWait(pipeline);
            // warm-up: the first events pay for class loading, the first transaction and the first model shapes
            for (int i = 0; i < WARM_UP_EVENTS; i++) send(producer, input, i, texts.get(i % texts.size()), sentAt);
            producer.flush();
            readUntil(consumer, seenAt, WARM_UP_EVENTS, pipeline);
            PipelineMetrics.Counters before = pipeline.counters();

            // the measured events, one at a time at a steady rate, from their own thread
            AtomicInteger next = new AtomicInteger(WARM_UP_EVENTS);
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            long periodNanos = (long) (1e9 / eventsPerSecond);
            sender.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= total) return;
                try {
                    send(producer, input, i, texts.get(i % texts.size()), sentAt);
                } catch (RuntimeException e) {
                    sendFailure.compareAndSet(null, e);
                }
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            try {
                readUntil(consumer, seenAt, total, pipeline);
            } finally {
                sender.shutdownNow();
            }
            if (sendFailure.get() != null) throw new IllegalStateException("Producing failed: " + sendFailure.get().getMessage(), sendFailure.get());
            long[] micros = new long[events];
            for (int i = 0; i < events; i++) {
                micros[i] = (seenAt[WARM_UP_EVENTS + i] - sentAt[WARM_UP_EVENTS + i]) / 1_000;
            }
            Arrays.sort(micros);
            return new Result(setting, micros, minus(pipeline.counters(), before));
        }
    }

    /** Records the send time just before the send; the key is the event's index. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int i, String text, long[] sentAt) {
        byte[] value = JsonNodeFactory.instance.objectNode().put("id", i).put("text", text).toString().getBytes(StandardCharsets.UTF_8);
        sentAt[i] = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8), value));
    }

    /** Polls until events {@code 0 .. upTo-1} have all been seen, noting when each arrived. */
    private static void readUntil(KafkaConsumer<byte[], byte[]> consumer, long[] seenAt, int upTo, Pipeline pipeline) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2) + upTo * TimeUnit.MILLISECONDS.toNanos(200);
        int seen = (int) Arrays.stream(seenAt, 0, upTo).filter(t -> t != 0).count();
        while (seen < upTo) {
            if (System.nanoTime() > deadline || pipeline.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("Only " + seen + " of " + upTo + " events came through (pipeline " + pipeline.state() + ").");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                long now = System.nanoTime();
                int i = Integer.parseInt(new String(r.key(), StandardCharsets.UTF_8));
                if (i < seenAt.length && seenAt[i] == 0) {
                    seenAt[i] = now;
                    if (i < upTo) seen++;
                }
            }
        }
    }

    private static PipelineMetrics.Counters minus(PipelineMetrics.Counters a, PipelineMetrics.Counters b) {
        return new PipelineMetrics.Counters(a.recordsIn() - b.recordsIn(), a.recordsOut() - b.recordsOut(),
                a.deadLetters() - b.deadLetters(), a.tokens() - b.tokens(), a.batches() - b.batches(),
                a.modelCalls() - b.modelCalls(), a.inferenceMillis() - b.inferenceMillis(),
                a.restoredPending() - b.restoredPending(), a.cacheHits() - b.cacheHits(), a.cacheMisses() - b.cacheMisses());
    }
}
