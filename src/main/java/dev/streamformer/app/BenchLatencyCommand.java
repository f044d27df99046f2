package dev.streamformer.app;

import dev.streamformer.bench.LatencyBenchmark;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code streamformer bench latency}: produce-to-visible latency of single events through the exactly-once pipeline,
 * for the default settings and for low-latency ones, next to the model alone on one text ({@link LatencyBenchmark}).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Latency from producing an event to a read_committed consumer seeing its result, events sent one at a"
                + " time at a steady rate through an embedded broker: p50/p95/p99 for the default settings and for low-latency"
                + " ones, next to the model alone on one text.")
final class BenchLatencyCommand implements Callable<Integer> {

    @Mixin ModelOptions model;
    @Mixin BenchTaskOptions task;

    @Option(names = "--rate", defaultValue = "20", description = "Events per second. Default: ${DEFAULT-VALUE}.") double rate;
    @Option(names = "--events", defaultValue = "400", description = "Measured events per setting. Default: ${DEFAULT-VALUE}.") int events;
    @Option(names = "--partitions", defaultValue = "2", description = "Input partitions. Default: ${DEFAULT-VALUE}.") int partitions;
    @Option(names = "--texts", description = "Texts to cycle through (one per line; .tsv: first column). Default: the demo's sample events.") Path texts;

    @Override
    public Integer call() throws Exception {
        List<String> pool = texts != null ? TextFile.read(texts, Integer.MAX_VALUE) : BenchPipelineCommand.demoTexts();
        try (Task task = this.task.create(model, 8192, 64)) {
            System.out.printf(Locale.ROOT, "bench latency: %s %s on %s, %d events per setting at %.0f/s, %d partitions, exactly_once_v2, %d cores%n",
                    task.name(), model.model, model.engine, events, rate, partitions, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "  the model alone on one text: p50 %.1f ms%n", modelAloneMillis(task, pool));
            run(task, pool, settings(task));
        }
        return 0;
    }

    /**
     * Encoders: the defaults, the low-latency settings, and those with Kafka Streams' own poll wait. Generation, where
     * the model dominates: the low-latency settings one event per batch, and with batched decoding (up to 8).
     */
    private static List<LatencyBenchmark.Setting> settings(Task task) {
        var defaults = new PipelineConfig.Batching(8192, 64, Duration.ofMillis(50));
        var quick = new PipelineConfig.Batching(8192, 64, Duration.ofMillis(10));
        if (task.name().equals("generate")) {
            return List.of(
                    new LatencyBenchmark.Setting("batch 1, --max-wait-ms 10, commit.interval.ms=100",
                            new PipelineConfig.Batching(8192, 1, Duration.ofMillis(10)), Map.of("commit.interval.ms", 100)),
                    new LatencyBenchmark.Setting("batched decoding <= 8, same settings",
                            new PipelineConfig.Batching(8192, 8, Duration.ofMillis(10)), Map.of("commit.interval.ms", 100)));
        }
        return List.of(
                new LatencyBenchmark.Setting("defaults (max wait 50 ms, commit.interval.ms=1000)", defaults, Map.of()),
                new LatencyBenchmark.Setting("--max-wait-ms 10, commit.interval.ms=100", quick, Map.of("commit.interval.ms", 100)),
                new LatencyBenchmark.Setting("... with Kafka Streams' poll.ms=100", quick, Map.of("commit.interval.ms", 100, "poll.ms", 100)));
    }

    private void run(Task task, List<String> pool, List<LatencyBenchmark.Setting> settings) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("state.dir", Files.createTempDirectory("streamformer-bench").toString());
            System.out.printf(Locale.ROOT, "  %-52s %8s %8s %8s %8s %14s%n", "setting", "p50 ms", "p95 ms", "p99 ms", "max ms", "records/batch");
            for (LatencyBenchmark.Setting setting : settings) {
                var r = LatencyBenchmark.run(broker, task, pool, partitions, setting, base, rate, events);
                System.out.printf(Locale.ROOT, "  %-52s %8.0f %8.0f %8.0f %8.0f %14.1f%n", setting.name(), r.percentileMillis(0.50),
                        r.percentileMillis(0.95), r.percentileMillis(0.99), r.percentileMillis(1.0), r.averageBatchRecords());
            }
        }
    }

    /** Median time of the task on one text (after a warm-up): the floor under every pipeline number. */
    private static double modelAloneMillis(Task task, List<String> pool) {
        for (int i = 0; i < 20; i++) task.run(List.of(pool.get(i % pool.size())));
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long start = System.nanoTime();
            task.runPrepared(List.of(task.prepare(pool.get(i % pool.size()))));
            nanos.add(System.nanoTime() - start);
        }
        nanos.sort(null);
        return nanos.get(nanos.size() / 2) / 1e6;
    }
}
