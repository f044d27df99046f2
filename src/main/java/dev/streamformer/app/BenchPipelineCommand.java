package dev.streamformer.app;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.streams.Pipeline;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.TokenBudget;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code streamformer bench pipeline}: records/s end to end through the embedded broker with exactly-once processing
 * (produce → pipeline → read_committed consumer), next to the same embedding task on the same texts without Kafka.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "End-to-end records/s through an embedded Kafka broker with exactly-once processing, next to the raw"
                + " embed task on the same texts in the same run; prints the ratio.")
final class BenchPipelineCommand implements Callable<Integer> {

    @Mixin ModelOptions model;

    @Option(names = "--records", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.") int records;
    @Option(names = "--texts", description = "Texts to cycle through (one per line; .tsv: first column). Default: the demo's sample events.") Path texts;
    @Option(names = "--partitions", defaultValue = "2", description = "Input partitions. Default: ${DEFAULT-VALUE}.") int partitions;
    @Option(names = "--max-tokens", defaultValue = "4096", description = "Default: ${DEFAULT-VALUE}.") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.") int maxBatch;
    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Kafka Streams commit.interval.ms. Default: ${DEFAULT-VALUE}.") int commitMs;

    @Override
    public Integer call() throws Exception {
        List<String> pool = texts != null ? TextFile.read(texts, Integer.MAX_VALUE) : demoTexts();
        List<String> all = new ArrayList<>(records);
        for (int i = 0; i < records; i++) all.add(pool.get(i % pool.size()));
        EmbedTask task = new EmbedTask(LoadedModel.load(model.model, model.engineOptions()), new TokenBudget(maxTokens, maxBatch),
                Overflow.TRUNCATE, null);
        System.out.printf(Locale.ROOT, "bench pipeline: %s on %s, %,d records, %d partitions, batches of ≤%d records / %d tokens, EOS v2, %d cores%n",
                model.model, model.engine, records, partitions, maxBatch, maxTokens, Runtime.getRuntime().availableProcessors());

        task.embed(all.subList(0, Math.min(300, all.size()))); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < all.size(); i += maxBatch) task.embed(all.subList(i, Math.min(all.size(), i + maxBatch)));
        double raw = all.size() / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "  raw embed task (%d texts per call, no Kafka)   %8.1f records/s%n", maxBatch, raw);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            broker.createTopics(partitions, "bench.in");
            broker.createTopics(1, "bench.out", "bench.dlq");
            ObjectMapper json = new ObjectMapper();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < all.size(); i++) {
                    byte[] v = json.writeValueAsBytes(Map.of("id", i, "text", all.get(i)));
                    producer.send(new ProducerRecord<>("bench.in", String.valueOf(i).getBytes(StandardCharsets.UTF_8), v));
                }
            }
            PipelineConfig config = PipelineConfig.builder().inputTopic("bench.in").outputTopic("bench.out").deadLetterTopic("bench.dlq")
                    .batching(new PipelineConfig.Batching(maxTokens, maxBatch, Duration.ofMillis(20)))
                    .streamsConfig(Map.of("bootstrap.servers", broker.bootstrapServers(), "application.id", "streamformer-bench",
                            "commit.interval.ms", String.valueOf(commitMs),
                            "state.dir", Files.createTempDirectory("streamformer-bench").toString()))
                    .build();
            try (Pipeline pipeline = new Pipeline(config, task)) {
                long start = System.nanoTime();
                pipeline.start();
                int seen = countCommitted(broker.bootstrapServers(), records, Duration.ofMinutes(30));
                double e2e = seen / ((System.nanoTime() - start) / 1e9);
                System.out.printf(Locale.ROOT, "  pipeline through Kafka, exactly once          %8.1f records/s  (%d/%d committed)%n", e2e, seen, records);
                System.out.printf(Locale.ROOT, "  pipeline / raw = %.2fx%n", e2e / raw);
                return seen == records ? 0 : 1;
            }
        }
    }

    private static int countCommitted(String bootstrap, int expected, Duration timeout) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        int seen = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bench.out"));
            while (seen < expected && System.nanoTime() < deadline) seen += consumer.poll(Duration.ofMillis(100)).count();
        }
        return seen;
    }

    private static List<String> demoTexts() throws Exception {
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (var in = BenchPipelineCommand.class.getResourceAsStream("/demo/events.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                try {
                    var node = json.readTree(line);
                    if (node.path("text").isTextual() && !node.path("text").asText().isEmpty()) out.add(node.path("text").asText());
                } catch (Exception badSampleLine) {
                    // the sample file holds a few bad events on purpose; the benchmark uses the good ones
                }
            }
        }
        return out;
    }
}
