package dev.streamformer.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The pipeline's standard metrics, all under the {@code streamformer_} prefix, held in a Prometheus Java client
 * {@link PrometheusRegistry}. Stages record into these; {@code /metrics} exposes the registry (see
 * {@link PrometheusText}) together with the bridged Kafka Streams metrics and the memory gauges.
 *
 * <p>Counter names end in {@code _total}; the client keeps the base name without it and writes {@code _total} back
 * on every counter sample, so the exposed names are the ones given here.
 */
public final class StreamformerMetrics {
    /** Records per batch: 1, 2, 4, ..., 512. */
    public static final double[] BATCH_SIZE_BUCKETS = exponentialBuckets(1, 2, 10);
    /** Tokens per batch (padding included): 16, 32, ..., 32768. */
    public static final double[] BATCH_TOKENS_BUCKETS = exponentialBuckets(16, 2, 12);
    /** Seconds per model call: 1 ms to about 16 s. */
    public static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry;
    private final List<MetricDescription> descriptions = new ArrayList<>();
    /** The per-stage families, which the status page's charts read (not the memory gauges, not Kafka's). */
    private final List<Collector> stageFamilies = new ArrayList<>();
    private final Map<String, DoubleSupplier> consumerLag = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> stageUp = new ConcurrentHashMap<>();

    private final Counter recordsIn;
    private final Counter recordsOut;
    private final Counter recordsDlq;
    private final Histogram batchSize;
    private final Histogram batchTokens;
    private final Histogram modelLatency;
    private final Counter tokens;
    private final Counter paddingTokens;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter tombstones;
    private final Counter formatRetries;

    /** The standard metrics in a registry of their own. */
    public StreamformerMetrics() {
        this(new PrometheusRegistry());
    }

    public StreamformerMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        recordsIn = counter("streamformer_records_in_total", "Records read by a stage.", "stage");
        recordsOut = counter("streamformer_records_out_total", "Records written by a stage.", "stage");
        recordsDlq = counter("streamformer_records_dlq_total",
                "Records sent to the dead-letter topic, by stage and reason.", "stage", "reason");
        batchSize = histogram("streamformer_batch_size", "Records per model batch.", BATCH_SIZE_BUCKETS, "stage");
        batchTokens = histogram("streamformer_batch_tokens",
                "Tokens per model batch (the texts' own tokens, without padding).", BATCH_TOKENS_BUCKETS, "stage");
        modelLatency = histogram("streamformer_model_latency_seconds",
                "Wall time of one model call (one batch).", LATENCY_BUCKETS, "stage");
        tokens = counter("streamformer_tokens_total",
                "Tokens run through the model; rate() of it is tokens per second.", "stage");
        paddingTokens = counter("streamformer_padding_tokens_total",
                "Padding tokens of the model batches, at most: each batch counted as padded to its longest text (the task sorts by"
                        + " length and splits by its token budget, which pads less); padding / (tokens + padding) is the waste.", "stage");
        cacheHits = counter("streamformer_cache_hits_total", "Inference cache hits.", "stage");
        cacheMisses = counter("streamformer_cache_misses_total", "Inference cache misses.", "stage");
        tombstones = counter("streamformer_tombstones_total",
                "Records with a null value (deletes of a compacted topic), passed through to the output topic or dropped.", "stage", "action");
        formatRetries = counter("streamformer_format_retries_total",
                "Times a record waited because the stage's value format was unavailable for now (e.g. its schema registry).", "stage");
        stageFamilies.add(perStageGauge("streamformer_consumer_lag",
                "Input records the stage has not committed yet, summed over partitions (log end minus committed offset).", consumerLag));
        stageFamilies.add(perStageGauge("streamformer_stage_up",
                "1 while the stage's Kafka Streams client is RUNNING or REBALANCING (what /health reports as UP), else 0.", stageUp));
        registerMemoryGauges();
    }

    /** JVM and process memory, under the names Prometheus' own Java client uses, plus the heap after the last GC. */
    private void registerMemoryGauges() {
        gauge("jvm_memory_used_bytes", "Memory in use, heap or nonheap (JVM memory bean).", List.of("area"), cb -> {
            cb.call(ProcessMemory.heap().getUsed(), "heap");
            cb.call(ProcessMemory.nonHeap().getUsed(), "nonheap");
        });
        gauge("jvm_memory_committed_bytes", "Memory the JVM has reserved from the OS, heap or nonheap.", List.of("area"), cb -> {
            cb.call(ProcessMemory.heap().getCommitted(), "heap");
            cb.call(ProcessMemory.nonHeap().getCommitted(), "nonheap");
        });
        gauge("jvm_memory_max_bytes", "The heap's limit (-Xmx).", List.of("area"),
                cb -> cb.call(ProcessMemory.heap().getMax(), "heap"));
        gauge("jvm_memory_heap_after_gc_bytes",
                "Heap in use right after the most recent garbage collection; its maximum over time is the heap ceiling.", List.of(),
                cb -> cb.call(ProcessMemory.heapAfterLastGcBytes()));
        gauge("process_resident_memory_bytes",
                "Resident memory of the process, including what is outside the heap (ONNX Runtime, RocksDB); Linux only.", List.of(),
                cb -> cb.call(ProcessMemory.residentBytes()));
    }

    /** The registry {@code /metrics} exposes. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Every family registered here (not Kafka's bridged ones), in registration order, for the documentation. */
    public List<MetricDescription> descriptions() {
        return List.copyOf(descriptions);
    }

    /** One reading of the per-stage {@code streamformer_*} families (no memory gauges, no Kafka metrics). */
    public MetricSnapshots stageSnapshots() {
        return new MetricSnapshots(stageFamilies.stream().map(Collector::collect).toList());
    }

    /**
     * Creates a stage's series at 0 (those labelled by the stage alone), so that {@code /metrics} lists them from the
     * start rather than from the first record written or the first batch; a query sees 0, not "no data".
     */
    public void initStage(String stage) {
        for (var counter : List.of(recordsIn, recordsOut, tokens, paddingTokens, cacheHits, cacheMisses, formatRetries)) {
            counter.initLabelValues(stage);
        }
        for (var histogram : List.of(batchSize, batchTokens, modelLatency)) histogram.initLabelValues(stage);
    }

    /** A stage read one record. */
    public void recordIn(String stage) {
        recordsIn.labelValues(stage).inc();
    }

    /** A stage wrote one record. */
    public void recordOut(String stage) {
        recordsOut.labelValues(stage).inc();
    }

    /** A stage sent one record to its dead-letter topic; {@code reason} is short and bounded (e.g. the error class). */
    public void recordDlq(String stage, String reason) {
        recordsDlq.labelValues(stage, reason).inc();
    }

    public void cacheHit(String stage) {
        cacheHits.labelValues(stage).inc();
    }

    public void cacheMiss(String stage) {
        cacheMisses.labelValues(stage).inc();
    }

    /** A stage passed a tombstone on ({@code action} {@code passed}) or dropped it ({@code dropped}). */
    public void tombstone(String stage, String action) {
        tombstones.labelValues(stage, action).inc();
    }

    /** A stage waited once for its value format. */
    public void formatRetry(String stage) {
        formatRetries.labelValues(stage).inc();
    }

    /** One model batch of a stage: its size, its tokens and how long the model took. */
    public void recordBatch(String stage, int records, int batchTokenCount, double seconds) {
        recordBatch(stage, records, batchTokenCount, 0, seconds);
    }

    /**
     * One model batch of a stage: its size, its tokens, the padding it costs ({@code records × longest − tokens} for a
     * batch padded to its longest text) and how long the model took.
     */
    public void recordBatch(String stage, int records, int batchTokenCount, int padding, double seconds) {
        batchSize.labelValues(stage).observe(records);
        batchTokens.labelValues(stage).observe(batchTokenCount);
        modelLatency.labelValues(stage).observe(seconds);
        tokens.labelValues(stage).inc(batchTokenCount);
        paddingTokens.labelValues(stage).inc(Math.max(0, padding));
    }

    /** Reads a stage's consumer lag from {@code lag} at each scrape. */
    public void consumerLag(String stage, DoubleSupplier lag) {
        consumerLag.put(stage, lag);
    }

    /** Reads whether a stage is up (1) or not (0) from {@code up} at each scrape. */
    public void stageUp(String stage, DoubleSupplier up) {
        stageUp.put(stage, up);
    }

    /** Bridges Kafka Streams' own metrics ({@code KafkaStreams::metrics}) into the same registry. */
    public void bridgeKafkaStreams(Supplier<? extends Map<MetricName, ? extends Metric>> kafkaStreamsMetrics) {
        registry.register(KafkaMetricsBridge.forStreams(kafkaStreamsMetrics));
    }

    private Counter counter(String name, String help, String... labelNames) {
        describe(name, "counter", help, labelNames, new double[0]);
        Counter counter = Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().register(registry);
        stageFamilies.add(counter);
        return counter;
    }

    private Histogram histogram(String name, String help, double[] upperBounds, String... labelNames) {
        describe(name, "histogram", help, labelNames, upperBounds);
        Histogram histogram = Histogram.builder().name(name).help(help).labelNames(labelNames)
                .classicOnly().classicUpperBounds(upperBounds).withoutExemplars().register(registry);
        stageFamilies.add(histogram);
        return histogram;
    }

    /** A gauge per stage, each read from its supplier in {@code byStage} at every scrape. */
    private Collector perStageGauge(String name, String help, Map<String, DoubleSupplier> byStage) {
        return gauge(name, help, List.of("stage"), cb -> byStage.forEach((stage, value) -> cb.call(value.getAsDouble(), stage)));
    }

    private GaugeWithCallback gauge(String name, String help, List<String> labelNames,
                                    Consumer<GaugeWithCallback.Callback> read) {
        String[] labels = labelNames.toArray(String[]::new);
        describe(name, "gauge", help, labels, new double[0]);
        return GaugeWithCallback.builder().name(name).help(help).labelNames(labels).callback(read).register(registry);
    }

    private void describe(String name, String type, String help, String[] labelNames, double[] buckets) {
        descriptions.add(new MetricDescription(name, type, List.of(labelNames), help, Arrays.stream(buckets).boxed().toList()));
    }

    /** Bounds {@code start, start*factor, ...} ({@code count} of them), e.g. {@code exponentialBuckets(1, 2, 9)} = 1..256. */
    private static double[] exponentialBuckets(double start, double factor, int count) {
        double[] bounds = new double[count];
        for (int i = 0; i < count; i++) bounds[i] = start * Math.pow(factor, i);
        return bounds;
    }
}
