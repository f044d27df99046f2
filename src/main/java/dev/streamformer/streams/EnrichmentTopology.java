package dev.streamformer.streams;

import dev.streamformer.event.EventParser;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;

import dev.streamformer.task.Task;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The enrichment topology, in one readable method:
 *
 * <pre>
 *  read-events ─► parse-validate ─► batch-infer ─► enrich ─► write-enriched   (output topic, or routed by a result field)
 *  (bytes)            │ invalid       │ └─► pass-tombstones (null values, in order; output topic)
 *                     │               │ model failed   │ unwritable
 *                     └───────────────┴────────────────┴──► write-dead-letters  (original bytes + error headers)
 *                                    [pending-batch store, changelogged]
 *                                    [inference-cache + inference-cache-order stores, changelogged; if the cache is on]
 * </pre>
 *
 * Keys and values are read as raw bytes, so invalid UTF-8 and malformed JSON reach our own code (and the
 * dead-letter topic) instead of failing inside a deserializer: the stage's {@link ValueFormat} reads them in
 * {@code parse-validate} and writes the output value in {@code enrich}.
 */
public final class EnrichmentTopology {

    static final String SOURCE = "read-events";
    private static final String PARSE = ParseValidateProcessor.NAME;
    private static final String BATCH = BatchInferenceProcessor.NAME;
    private static final String ENRICH = EnrichProcessor.NAME;

    /** Changelog segments of 8 MiB, so compaction keeps the changelog close to what is actually pending. */
    private static final String CHANGELOG_SEGMENT_BYTES = Integer.toString(8 * 1024 * 1024);

    private EnrichmentTopology() {}

    /** The topology for a task whose results depend only on its model and name (its cache key holds no other settings). */
    public static Topology build(PipelineConfig config, Task task, PipelineMetrics metrics) {
        return build(config, task, task.name(), metrics);
    }

    /**
     * @param taskSettings names every setting of the task that can change its result (e.g. its
     *                     {@code TaskSpec}); part of the inference cache's key
     */
    public static Topology build(PipelineConfig config, Task task, String taskSettings, PipelineMetrics metrics) {
        ValueFormat format = ValueFormats.create(config.valueFormat().name(), config.valueFormat().settings());
        var parser = new EventParser(format, config.textField(), config.textTemplate(), config.maxTextBytes(), task.input());
        String routeField = config.routing() == null ? null : config.routing().field();
        RouteByField router = config.routing() == null ? null : new RouteByField(config.routing(), config.outputTopic());
        Function<String, String> topicByRoute = router == null ? route -> config.outputTopic() : router::topic;

        // persistent (RocksDB) rather than in-memory: with a persistent store Kafka Streams keeps its process id in
        // the state directory, so a restarted instance reuses its transactional id and fences the crashed one's open
        // transaction at once, instead of waiting for transaction.timeout.ms; a clean restart also skips restoring
        StoreBuilder<KeyValueStore<Long, PendingRecord>> pendingStore = Stores
                .keyValueStoreBuilder(Stores.persistentKeyValueStore(BatchInferenceProcessor.PENDING_STORE), Serdes.Long(), PendingRecord.serde())
                .withLoggingEnabled(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, CHANGELOG_SEGMENT_BYTES));

        // the topology sees the same settings as the client (topology-level keys such as max.task.idle.ms included)
        var topology = new Topology(new TopologyConfig(new StreamsConfig(config.streamsProperties())));
        if (config.inputPattern() != null) {
            topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Pattern.compile(config.inputPattern()));
        } else {
            topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.inputTopics().toArray(String[]::new));
        }
        topology.addProcessor(PARSE, () -> new ParseValidateProcessor(parser, config.tombstones(), metrics), SOURCE);
        PipelineConfig.Cache cache = config.cache();
        topology.addProcessor(BATCH, () -> new BatchInferenceProcessor(task, parser, config.batching(), metrics,
                cache.enabled() ? new InferenceCache(task.modelId(), taskSettings, cache.maxEntries()) : null), PARSE);
        topology.addStateStore(pendingStore, BATCH);
        if (cache.enabled()) {
            for (StoreBuilder<?> store : InferenceCache.storeBuilders(Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, CHANGELOG_SEGMENT_BYTES))) {
                topology.addStateStore(store, BATCH);
            }
        }
        topology.addProcessor(ENRICH, () -> new EnrichProcessor(task.modelId(), config.enrichment(), routeField, topicByRoute, format, metrics), BATCH);

        Serializer<EnrichProcessor.EnrichedEvent> enrichedValue = (topic, event) -> event.value();
        if (router == null) {
            topology.addSink(EnrichProcessor.OUTPUT_SINK, config.outputTopic(), new ByteArraySerializer(), enrichedValue, ENRICH);
        } else {
            topology.addSink(EnrichProcessor.OUTPUT_SINK, router, new ByteArraySerializer(), enrichedValue, ENRICH);
        }
        topology.addSink(BatchInferenceProcessor.TOMBSTONE_SINK, config.outputTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
                BATCH);
        topology.addSink(DeadLetters.SINK, config.deadLetterTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
                PARSE, BATCH, ENRICH);
        return topology;
    }
}
