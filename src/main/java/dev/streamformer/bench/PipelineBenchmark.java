package dev.streamformer.bench;

import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.streams.PipelineMetrics;
import dev.streamformer.event.BatchInference;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.TokenBudget;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.task.Task;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * End-to-end throughput of the pipeline through an {@link EmbeddedKafkaBroker} next to the raw task on the same
 * texts, in the same run, for {@code streamformer bench pipeline}: is Kafka (exactly-once transactions, changelogged batches) a small tax on the
 * model, as it should be?
 *
 * <p>Steps: create fresh topics; produce one event {@code {"id":i,"text":...}} per text; run the task directly on
 * the texts in the batches the pipeline would form (one warm-up batch first); then run the pipeline on them, timed
 * from the moment Kafka Streams is {@code RUNNING} to the moment a {@code read_committed} consumer has seen every
 * output and dead-letter record. Both timed parts also record this process's CPU by thread group
 * ({@link CpuByThread}): what the broker, the Kafka clients and the stream thread cost next to the model, in terms
 * that hold on a loaded machine.
 */
public final class PipelineBenchmark {

    /**
     * @param records     texts sent through both paths
     * @param deadLetters records the pipeline dead-lettered (0 unless a text fails)
     * @param tokens      token count of all texts, as the task counts them
     * @param counters    the pipeline's own counters: its batches and the time the model spent on them
     * @param threadTime  where the stream threads spent their time, from Kafka Streams' own {@code stream-thread-metrics}
     *                    ({@code poll-ratio}, {@code process-ratio}, {@code punctuate-ratio}, {@code commit-ratio}),
     *                    averaged over the threads
     * @param rawCpu      this process's CPU by thread group while the raw task ran
     * @param pipelineCpu the same while the pipeline ran (its timed part): next to {@code rawCpu}, what Kafka costs
     */
    public record Result(int records, long deadLetters, long tokens, Duration pipeline, Duration raw,
                         PipelineMetrics.Counters counters, Map<String, Double> threadTime,
                         CpuByThread.Breakdown rawCpu, CpuByThread.Breakdown pipelineCpu) {
        public double pipelineRecordsPerSecond() { return records / seconds(pipeline); }

        public double rawRecordsPerSecond() { return records / seconds(raw); }

        public double pipelineTokensPerSecond() { return tokens / seconds(pipeline); }

        /** Pipeline throughput over raw task throughput; the goal is at least 0.9. */
        public double ratio() { return pipelineRecordsPerSecond() / rawRecordsPerSecond(); }

        private static double seconds(Duration d) { return Math.max(d.toNanos(), 1) / 1e9; }
    }

    private PipelineBenchmark() {}

    /**
     * Runs both paths.
     *
     * @param streamsConfig extra Kafka Streams settings (state.dir, num.stream.threads, ...), passed through
     * @param progress      called with the number of records seen so far while the pipeline runs
     */
    public static Result run(EmbeddedKafkaBroker broker, Task task, List<String> texts, int partitions,
                             PipelineConfig.Batching batching, Map<String, Object> streamsConfig, LongConsumer progress)
            throws InterruptedException {
        return run(broker, task, texts, partitions, batching, streamsConfig, Values.JSON, progress);
    }

    /**
     * How the events go onto the input topic, and the format the pipeline reads (and writes) them in.
     *
     * @param encode the event {@code {"id": i, "text": ...}} as record value bytes
     */
    public record Values(PipelineConfig.Format format, Function<ObjectNode, byte[]> encode) {
        public static final Values JSON = new Values(PipelineConfig.Format.JSON, event -> event.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Runs both paths with the events in {@code values}' format. */
    public static Result run(EmbeddedKafkaBroker broker, Task task, List<String> texts, int partitions,
                             PipelineConfig.Batching batching, Map<String, Object> streamsConfig, Values values,
                             LongConsumer progress) throws InterruptedException {
        var cpu = new CpuByThread();
        Task timedTask = cpu.timed(task);
        String prefix = "bench-" + System.currentTimeMillis();
        long tokens = texts.stream().mapToLong(task::countTokens).sum();

        BatchInference.run(task, List.of(task.prepare(texts.getFirst())));   // warm-up: first-call costs belong to neither side
        var rawStart = cpu.snapshot();
        Duration raw = timeRawTask(timedTask, texts, batching.budget());
        CpuByThread.Breakdown rawCpu = cpu.snapshot().since(rawStart);

        PipelineRun timed = runPipeline(broker, timedTask, texts, partitions, batching, streamsConfig, values, prefix, progress, cpu);
        return new Result(texts.size(), timed.deadLetters, tokens, timed.time, raw, timed.counters, timed.threadTime, rawCpu, timed.cpu);
    }

    private record PipelineRun(Duration time, long deadLetters, PipelineMetrics.Counters counters,
                               Map<String, Double> threadTime, CpuByThread.Breakdown cpu) {}

    /**
     * Produces the texts as events to fresh topics named after {@code prefix}, then runs the pipeline on them, timed
     * from the moment Kafka Streams is {@code RUNNING} to the moment a {@code read_committed} consumer has seen every
     * output and dead-letter record.
     */
    private static PipelineRun runPipeline(EmbeddedKafkaBroker broker, Task task, List<String> texts, int partitions,
                                           PipelineConfig.Batching batching, Map<String, Object> streamsConfig, Values values,
                                           String prefix, LongConsumer progress, CpuByThread cpu) throws InterruptedException {
        String bootstrap = broker.bootstrapServers();
        String input = prefix + "-in";
        String output = prefix + "-out";
        String deadLetters = prefix + "-dlq";
        broker.createTopics(partitions, input, output, deadLetters);
        produce(bootstrap, input, texts, values.encode());
        PipelineConfig config = PipelineConfig.builder()
                .inputTopic(input).outputTopic(output).deadLetterTopic(deadLetters).batching(batching).valueFormat(values.format())
                .streamsConfig(streamsConfig)
                .streamsConfig("bootstrap.servers", bootstrap)
                .streamsConfig("application.id", prefix)
                .build();
        try (var pipeline = new Pipeline(config, task); var reader = new Counter(bootstrap, output, deadLetters)) {
            BenchKafka.startAndWait(pipeline);
            var cpuStart = cpu.snapshot();
            long start = System.nanoTime();
            long lastProgress = start;
            long seen = 0;
            while (reader.total() < texts.size()) {
                if (pipeline.state() == KafkaStreams.State.ERROR || pipeline.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("The benchmark pipeline stopped (" + pipeline.state() + ") after "
                            + reader.total() + " of " + texts.size() + " records; see the log.");
                }
                reader.poll();
                progress.accept(reader.total());
                if (reader.total() > seen) {
                    seen = reader.total();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                    throw new IllegalStateException("The benchmark pipeline made no progress for 2 minutes at "
                            + seen + " of " + texts.size() + " records; see the log.");
                }
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            CpuByThread.Breakdown used = cpu.snapshot().since(cpuStart);
            return new PipelineRun(time, reader.deadLetters, pipeline.counters(), threadTime(pipeline.kafkaStreams()), used);
        }
    }

    /** Kafka Streams' thread-level time ratios (a windowed average over the last 30 s), averaged over threads. */
    private static Map<String, Double> threadTime(KafkaStreams streams) {
        Map<String, List<Double>> byName = new java.util.TreeMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-ratio")
                    && metric.metricValue() instanceof Double value && !value.isNaN()) {
                byName.computeIfAbsent(name.name(), k -> new ArrayList<>()).add(value);
            }
        });
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        byName.forEach((name, values) -> out.put(name, values.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        return out;
    }

    /**
     * The task alone, batched as the pipeline batches (the {@link TokenBudget} rule, in input order); the texts are
     * prepared (tokenized) inside the timed part, as the pipeline does.
     */
    private static Duration timeRawTask(Task task, List<String> texts, TokenBudget budget) {
        long start = System.nanoTime();
        List<PreparedText> batch = new ArrayList<>();
        int longest = 0;
        for (String text : texts) {
            PreparedText input = task.prepare(text);
            if (!batch.isEmpty() && !budget.fits(Math.max(longest, input.tokens()), batch.size() + 1)) {
                BatchInference.run(task, batch);
                batch = new ArrayList<>();
                longest = 0;
            }
            batch.add(input);
            longest = Math.max(longest, input.tokens());
        }
        if (!batch.isEmpty()) BatchInference.run(task, batch);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void produce(String bootstrap, String topic, List<String> texts, Function<ObjectNode, byte[]> encode) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10), new ByteArraySerializer(), new ByteArraySerializer())) {
            var sends = new ArrayList<Future<RecordMetadata>>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode event = JsonNodeFactory.instance.objectNode().put("id", i).put("text", texts.get(i));
                sends.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                        encode.apply(event))));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(2, TimeUnit.MINUTES);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not produce the benchmark events to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing the benchmark events", e);
        }
    }

    /** Counts committed records on the output and dead-letter topics (all partitions, no consumer group). */
    private static final class Counter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String deadLetterTopic;
        private long outputs;
        private long deadLetters;

        Counter(String bootstrap, String output, String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            consumer = BenchKafka.committedReader(bootstrap, 500, output, deadLetterTopic);
        }

        void poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                if (r.topic().equals(deadLetterTopic)) deadLetters++;
                else outputs++;
            });
        }

        long total() { return outputs + deadLetters; }

        @Override
        public void close() { consumer.close(); }
    }
}
