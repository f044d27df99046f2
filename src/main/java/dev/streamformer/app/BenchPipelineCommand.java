package dev.streamformer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import dev.streamformer.bench.CpuByThread;
import dev.streamformer.bench.PipelineBenchmark;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code streamformer bench pipeline}: records/s end to end through the embedded broker with exactly-once processing,
 * next to the same embedding task on the same texts without Kafka ({@link PipelineBenchmark}).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "End-to-end records/s through an embedded Kafka broker with exactly-once processing, next to the raw"
                + " task (embed unless --task says otherwise) on the same texts in the same run; prints the ratio.")
final class BenchPipelineCommand implements Callable<Integer> {

    @Mixin ModelOptions model;
    @Mixin BenchTaskOptions taskOptions;

    @Option(names = "--records", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.") int records;
    @Option(names = "--texts", description = "Texts to cycle through (one per line; .tsv: first column). Default: the demo's sample events.") Path texts;
    @Option(names = "--partitions", defaultValue = "2", description = "Input partitions. Default: ${DEFAULT-VALUE}.") int partitions;
    @Option(names = "--max-tokens", defaultValue = "4096", description = "Default: ${DEFAULT-VALUE}.") int maxTokens;
    @Option(names = "--max-batch", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.") int maxBatch;
    @Option(names = "--value-format", paramLabel = "json|avro", defaultValue = "json",
            description = "The events on the topics: JSON objects, or Avro records of {id: long, text: string} (the output then of the"
                    + " evolved schema), to see what the format costs next to the model. Default: ${DEFAULT-VALUE}.")
    String valueFormat;
    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams / client property for the pipeline, unchanged (repeatable), e.g. --config commit.interval.ms=1000.")
    List<String> config;

    @Override
    public Integer call() throws Exception {
        List<String> pool = texts != null ? TextFile.read(texts, Integer.MAX_VALUE) : demoTexts();
        List<String> all = new ArrayList<>(records);
        for (int i = 0; i < records; i++) all.add(pool.get(i % pool.size()));
        try (Task task = taskOptions.create(model, maxTokens, maxBatch);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            System.out.printf(Locale.ROOT, "bench pipeline: %s %s on %s, %s values, %,d records, %d partitions, batches of <= %d records / %d tokens,"
                    + " exactly_once_v2, %d cores%n", task.name(), model.model, model.engine, valueFormat, records, partitions, maxBatch, maxTokens,
                    Runtime.getRuntime().availableProcessors());
            warmUp(task, all);
            Map<String, Object> streamsConfig = new java.util.LinkedHashMap<>();
            streamsConfig.put("state.dir", Files.createTempDirectory("streamformer-bench").toString());
            streamsConfig.putAll(KafkaOptions.parse(config));
            var r = PipelineBenchmark.run(broker, task, all, partitions,
                    new PipelineConfig.Batching(maxTokens, maxBatch, Duration.ofMillis(50)), streamsConfig, values(), seen -> { });
            System.out.printf(Locale.ROOT, "  raw %-8s task, same batches, no Kafka %8.1f records/s%n", task.name(), r.rawRecordsPerSecond());
            System.out.printf(Locale.ROOT, "  pipeline through Kafka, exactly once    %8.1f records/s  %8.0f tokens/s  (%d dead letters)%n",
                    r.pipelineRecordsPerSecond(), r.pipelineTokensPerSecond(), r.deadLetters());
            var c = r.counters();
            System.out.printf(Locale.ROOT, "  pipeline: %d batches of %.1f records on average; the model ran %.1f s of the %.1f s (%.0f %%), raw: %.1f s%n",
                    c.batches(), c.batches() == 0 ? 0.0 : (double) c.recordsOut() / c.batches(), c.inferenceMillis() / 1e3,
                    r.pipeline().toMillis() / 1e3, 100.0 * c.inferenceMillis() / Math.max(1, r.pipeline().toMillis()), r.raw().toMillis() / 1e3);
            var threadTime = new StringBuilder();
            r.threadTime().forEach((name, ratio) -> threadTime.append(String.format(Locale.ROOT, " %s %.0f %%", name.replace("-ratio", ""), 100 * ratio)));
            System.out.println("  stream thread's time (Kafka Streams, last 30 s):" + threadTime);
            printCpu(r);
            System.out.printf(Locale.ROOT, "  pipeline / raw = %.2fx%n", r.ratio());
            return 0;
        }
    }

    /**
     * This process's CPU per record by thread group, raw run next to pipeline run: CPU time holds on a loaded
     * machine, where wall time does not. Wall time minus CPU over the cores says how much the process waited.
     */
    private static void printCpu(PipelineBenchmark.Result r) {
        System.out.printf(Locale.ROOT, "  CPU ms per record, by thread %-42s %8s %9s%n", "", "raw", "pipeline");
        for (CpuByThread.Group group : CpuByThread.Group.values()) {
            long raw = r.rawCpu().cpuNanos().get(group);
            long pipeline = r.pipelineCpu().cpuNanos().get(group);
            if (raw == 0 && pipeline == 0) continue;
            System.out.printf(Locale.ROOT, "    %-68s %8.2f %9.2f%n", group.label, perRecord(r, raw), perRecord(r, pipeline));
        }
        System.out.printf(Locale.ROOT, "    %-68s %8.2f %9.2f%n", "process CPU (the sum)",
                perRecord(r, r.rawCpu().processCpuNanos()), perRecord(r, r.pipelineCpu().processCpuNanos()));
        System.out.printf(Locale.ROOT, "    %-68s %8.2f %9.2f%n", "wall ms per record",
                perRecord(r, r.rawCpu().wallNanos()), perRecord(r, r.pipelineCpu().wallNanos()));
        System.out.printf(Locale.ROOT, "    %-68s %8.2f %9.2f  (of %d)%n", "cores busy (process CPU / wall)",
                r.rawCpu().coresUsed(), r.pipelineCpu().coresUsed(), Runtime.getRuntime().availableProcessors());
        long task = r.rawCpu().nanos(CpuByThread.Part.TASK);
        System.out.printf(Locale.ROOT, "  pipeline - raw, CPU ms per record: %+.2f = task %+.2f, Kafka %+.2f (broker %+.2f), JVM %+.2f"
                        + " (JIT %+.2f); Kafka's extra CPU is %.1f %% of the task's%n",
                perRecord(r, r.pipelineCpu().processCpuNanos() - r.rawCpu().processCpuNanos()),
                perRecord(r, r.pipelineCpu().nanos(CpuByThread.Part.TASK) - task),
                perRecord(r, extra(r, CpuByThread.Part.KAFKA)), perRecord(r, extra(r, CpuByThread.Group.BROKER)),
                perRecord(r, extra(r, CpuByThread.Part.JVM)), perRecord(r, extra(r, CpuByThread.Group.JIT)),
                100.0 * extra(r, CpuByThread.Part.KAFKA) / Math.max(1, task));
    }

    private static long extra(PipelineBenchmark.Result r, CpuByThread.Part part) {
        return r.pipelineCpu().nanos(part) - r.rawCpu().nanos(part);
    }

    private static long extra(PipelineBenchmark.Result r, CpuByThread.Group group) {
        return r.pipelineCpu().cpuNanos().get(group) - r.rawCpu().cpuNanos().get(group);
    }

    private static double perRecord(PipelineBenchmark.Result r, long nanos) {
        return nanos / 1e6 / r.records();
    }

    /** The benchmark's events as JSON (the default) or as Avro records of a two-field schema written for the run. */
    private PipelineBenchmark.Values values() throws IOException {
        return switch (valueFormat) {
            case "json" -> PipelineBenchmark.Values.JSON;
            case "avro" -> {
                Schema schema = SchemaBuilder.record("Event").fields().requiredLong("id").requiredString("text").endRecord();
                Path file = Files.createTempFile("streamformer-bench-event", ".avsc");
                Files.writeString(file, schema.toString(true));
                file.toFile().deleteOnExit();
                var writer = new GenericDatumWriter<GenericRecord>(schema);
                yield new PipelineBenchmark.Values(new PipelineConfig.Format("avro", Map.of("schemaFile", file.toString())), event -> {
                    GenericRecord record = new GenericData.Record(schema);
                    record.put("id", event.path("id").asLong());
                    record.put("text", event.path("text").asText());
                    var bytes = new ByteArrayOutputStream();
                    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                    try {
                        writer.write(record, encoder);
                        encoder.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return bytes.toByteArray();
                });
            }
            default -> throw new IllegalArgumentException("--value-format " + valueFormat + " is not benchmarked: use json or avro.");
        };
    }

    /** The first calls pay for class loading and the model's first shapes; neither side of the ratio should. */
    private static void warmUp(Task task, List<String> texts) {
        int n = task.name().equals("generate") ? 8 : 300;
        List<String> sample = texts.subList(0, Math.min(n, texts.size()));
        for (int from = 0; from < sample.size(); from += 32) task.run(sample.subList(from, Math.min(from + 32, sample.size())));
    }

    static List<String> demoTexts() throws Exception {
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
