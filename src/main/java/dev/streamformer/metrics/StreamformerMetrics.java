package dev.streamformer.metrics;

import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The pipeline's standard metrics, all under the {@code streamformer_} prefix. Stages record into these;
 * {@code /metrics} exposes them together with the bridged Kafka Streams metrics.
 */
public final class StreamformerMetrics {
    /** Records per batch: 1, 2, 4, ..., 512. */
    public static final double[] BATCH_SIZE_BUCKETS = HistogramFamily.exponentialBuckets(1, 2, 10);
    /** Tokens per batch (padding included): 16, 32, ..., 32768. */
    public static final double[] BATCH_TOKENS_BUCKETS = HistogramFamily.exponentialBuckets(16, 2, 12);
    /** Seconds per model call: 1 ms to about 16 s. */
    public static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final MetricsRegistry registry;
    private final CounterFamily recordsIn;
    private final CounterFamily recordsOut;
    private final CounterFamily recordsDlq;
    private final HistogramFamily batchSize;
    private final HistogramFamily batchTokens;
    private final HistogramFamily modelLatency;
    private final CounterFamily tokens;
    private final CounterFamily paddingTokens;
    private final CounterFamily cacheHits;
    private final CounterFamily tombstones;
    private final CounterFamily formatRetries;
    private final CounterFamily cacheMisses;
    private final GaugeFamily consumerLag;
    private final GaugeFamily stageUp;

    public StreamformerMetrics(MetricsRegistry registry) {
        this.registry = registry;
        recordsIn = registry.counter("streamformer_records_in_total", "Records read by a stage.", "stage");
        recordsOut = registry.counter("streamformer_records_out_total", "Records written by a stage.", "stage");
        recordsDlq = registry.counter("streamformer_records_dlq_total",
                "Records sent to the dead-letter topic, by stage and reason.", "stage", "reason");
        batchSize = registry.histogram("streamformer_batch_size", "Records per model batch.", BATCH_SIZE_BUCKETS, "stage");
        batchTokens = registry.histogram("streamformer_batch_tokens",
                "Tokens per model batch (the texts' own tokens, without padding).", BATCH_TOKENS_BUCKETS, "stage");
        modelLatency = registry.histogram("streamformer_model_latency_seconds",
                "Wall time of one model call (one batch).", LATENCY_BUCKETS, "stage");
        tokens = registry.counter("streamformer_tokens_total",
                "Tokens run through the model; rate() of it is tokens per second.", "stage");
        paddingTokens = registry.counter("streamformer_padding_tokens_total",
                "Padding tokens of the model batches, at most: each batch counted as padded to its longest text (the task sorts by"
                        + " length and splits by its token budget, which pads less); padding / (tokens + padding) is the waste.", "stage");
        cacheHits = registry.counter("streamformer_cache_hits_total", "Inference cache hits.", "stage");
        cacheMisses = registry.counter("streamformer_cache_misses_total", "Inference cache misses.", "stage");
        tombstones = registry.counter("streamformer_tombstones_total",
                "Records with a null value (deletes of a compacted topic), passed through to the output topic or dropped.", "stage", "action");
        formatRetries = registry.counter("streamformer_format_retries_total",
                "Times a record waited because the stage's value format was unavailable for now (e.g. its schema registry).", "stage");
        consumerLag = registry.gauge("streamformer_consumer_lag",
                "Input records the stage has not committed yet, summed over partitions (log end minus committed offset).", "stage");
        stageUp = registry.gauge("streamformer_stage_up",
                "1 while the stage's Kafka Streams client is RUNNING or REBALANCING (what /health reports as UP), else 0.", "stage");
        registerMemoryGauges(registry);
    }

    /** JVM and process memory, under the names Prometheus' own Java client uses, plus the heap after the last GC. */
    private static void registerMemoryGauges(MetricsRegistry registry) {
        GaugeFamily used = registry.gauge("jvm_memory_used_bytes", "Memory in use, heap or nonheap (JVM memory bean).", "area");
        used.labels("heap").setSupplier(() -> ProcessMemory.heap().getUsed());
        used.labels("nonheap").setSupplier(() -> ProcessMemory.nonHeap().getUsed());
        GaugeFamily committed = registry.gauge("jvm_memory_committed_bytes", "Memory the JVM has reserved from the OS, heap or nonheap.", "area");
        committed.labels("heap").setSupplier(() -> ProcessMemory.heap().getCommitted());
        committed.labels("nonheap").setSupplier(() -> ProcessMemory.nonHeap().getCommitted());
        registry.gauge("jvm_memory_max_bytes", "The heap's limit (-Xmx).", "area")
                .labels("heap").setSupplier(() -> ProcessMemory.heap().getMax());
        registry.gauge("jvm_memory_heap_after_gc_bytes",
                "Heap in use right after the most recent garbage collection; its maximum over time is the heap ceiling.")
                .labels().setSupplier(ProcessMemory::heapAfterLastGcBytes);
        registry.gauge("process_resident_memory_bytes",
                "Resident memory of the process, including what is outside the heap (ONNX Runtime, RocksDB); Linux only.")
                .labels().setSupplier(ProcessMemory::residentBytes);
    }

    public MetricsRegistry registry() {
        return registry;
    }

    /** A stage read one record. */
    public void recordIn(String stage) {
        recordsIn.labels(stage).inc();
    }

    /** A stage wrote one record. */
    public void recordOut(String stage) {
        recordsOut.labels(stage).inc();
    }

    /** A stage sent one record to its dead-letter topic; {@code reason} is short and bounded (e.g. the error class). */
    public void recordDlq(String stage, String reason) {
        recordsDlq.labels(stage, reason).inc();
    }

    public void cacheHit(String stage) {
        cacheHits.labels(stage).inc();
    }

    public void cacheMiss(String stage) {
        cacheMisses.labels(stage).inc();
    }

    /** A stage passed a tombstone on ({@code action} {@code passed}) or dropped it ({@code dropped}). */
    public void tombstone(String stage, String action) {
        tombstones.labels(stage, action).inc();
    }

    /** A stage waited once for its value format. */
    public void formatRetry(String stage) {
        formatRetries.labels(stage).inc();
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
        batchSize.labels(stage).observe(records);
        batchTokens.labels(stage).observe(batchTokenCount);
        modelLatency.labels(stage).observe(seconds);
        tokens.labels(stage).inc(batchTokenCount);
        paddingTokens.labels(stage).inc(Math.max(0, padding));
    }

    /** Reads a stage's consumer lag from {@code lag} at each scrape. */
    public void consumerLag(String stage, DoubleSupplier lag) {
        consumerLag.labels(stage).setSupplier(lag);
    }

    /** Reads whether a stage is up (1) or not (0) from {@code up} at each scrape. */
    public void stageUp(String stage, DoubleSupplier up) {
        stageUp.labels(stage).setSupplier(up);
    }

    /** Bridges Kafka Streams' own metrics ({@code KafkaStreams::metrics}) into the same registry. */
    public void bridgeKafkaStreams(Supplier<? extends Map<MetricName, ? extends Metric>> kafkaStreamsMetrics) {
        registry.register(KafkaMetricsBridge.forStreams(kafkaStreamsMetrics));
    }
}
