package dev.streamformer.streams;

import dev.streamformer.event.EventParser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optional inference cache of one stream task (one input partition): a task's result per text, kept so that
 * replays, rebalances and duplicate texts do not run the model again.
 *
 * <h2>Two changelogged stores</h2>
 * <pre>
 *  {@value #RESULTS_STORE}: SHA-256(model id, task settings, text) [32 bytes] → result fields as JSON [UTF-8 bytes]
 *  {@value #ORDER_STORE}:   insertion sequence [long]                       → that hash [32 bytes]
 * </pre>
 * Both are persistent (RocksDB) with compacted changelog topics, and both are written by the batch processor inside
 * the transaction that also writes the output and commits the input offset (exactly_once_v2). So after a crash or on
 * the next owner of the partition, the two stores are restored to the same committed moment: the cache never holds
 * a result whose output was rolled back or vice versa, and restoring gives back the same entries in the same order.
 *
 * <h2>Key</h2>
 * The hash covers the model id, a string naming every task setting that can change the result (the stage's
 * {@code TaskSpec}: task, labels, prefix, overflow, thresholds, decoding settings ...) and the
 * text, each length-prefixed so that no two different triples hash the same bytes. Changing a setting therefore
 * never serves an old result; the old entries simply age out. Replacing a model's files under the same id is not
 * seen: use a new application.id (or a new model path) then.
 *
 * <h2>Bounded size: evict the oldest</h2>
 * Each entry gets the next insertion sequence number; when a put makes more than {@code maxEntries} entries, the
 * entries with the lowest sequence numbers are deleted from both stores (first in, first out). A hit does not
 * write (no LRU bookkeeping), so reads stay cheap and the order is a pure function of the committed puts: the
 * eviction is deterministic and survives a restore unchanged. A text is put only when absent, so each hash has
 * exactly one sequence number. The bound is per input partition: the whole stage holds at most
 * {@code maxEntries} × partitions results.
 *
 * <p>Cached fields are returned as parsed from the stored JSON; a miss returns the same round-tripped fields (see
 * {@link #put}), so a hit's output is byte-for-byte the output the miss gave.
 */
final class InferenceCache {

    static final String RESULTS_STORE = "inference-cache";
    static final String ORDER_STORE = "inference-cache-order";

    private final String modelId;
    private final String taskSettings;
    private final int maxEntries;
    private final MessageDigest sha256;

    private KeyValueStore<Bytes, byte[]> results;
    private KeyValueStore<Long, Bytes> order;
    // in-memory summary of the order store, rebuilt in init(): live sequence numbers are [firstSequence, nextSequence)
    private long firstSequence;
    private long nextSequence;
    private long entries;

    InferenceCache(String modelId, String taskSettings, int maxEntries) {
        this.modelId = modelId;
        this.taskSettings = taskSettings;
        this.maxEntries = maxEntries;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256, which every Java runtime must provide.", e);
        }
    }

    /** The two stores, persistent and changelogged (Kafka Streams compacts a key-value changelog); connect both to the batch processor. */
    static List<StoreBuilder<?>> storeBuilders(Map<String, String> changelogConfig) {
        return List.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESULTS_STORE), Serdes.Bytes(), Serdes.ByteArray())
                        .withLoggingEnabled(changelogConfig),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_STORE), Serdes.Long(), Serdes.Bytes())
                        .withLoggingEnabled(changelogConfig));
    }

    /** Opens this task's stores and recounts them (after a restore they hold what the last commit left). */
    void init(ProcessorContext<?, ?> context) {
        results = context.getStateStore(RESULTS_STORE);
        order = context.getStateStore(ORDER_STORE);
        entries = 0;
        firstSequence = Long.MAX_VALUE;
        nextSequence = 0;
        try (KeyValueIterator<Long, Bytes> all = order.all()) {
            while (all.hasNext()) {
                long sequence = all.next().key;
                firstSequence = Math.min(firstSequence, sequence);
                nextSequence = Math.max(nextSequence, sequence + 1);
                entries++;
            }
        }
        firstSequence = Math.min(firstSequence, nextSequence);
    }

    /** The cache key of a text: 32 bytes of SHA-256 over (model id, task settings, text). */
    Bytes key(String text) {
        sha256.reset();
        update(modelId);
        update(taskSettings);
        update(text);
        return Bytes.wrap(sha256.digest());
    }

    private void update(String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha256.update(bytes);
    }

    /** The cached fields for this key, or null on a miss. */
    ObjectNode get(Bytes key) {
        byte[] json = results.get(key);
        return json == null ? null : parse(json);
    }

    /**
     * Stores a fresh result (unless this key is already held) and evicts the oldest entries beyond
     * {@code maxEntries}. Returns the fields as a later hit will return them (written to JSON and read back).
     */
    ObjectNode put(Bytes key, ObjectNode fields) {
        byte[] json;
        try {
            json = EventParser.mapper().writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException("A task result could not be written as JSON for the cache.", e);
        }
        if (results.get(key) == null) {
            results.put(key, json);
            order.put(nextSequence++, key);
            entries++;
            evictOldest();
        }
        return parse(json);
    }

    private void evictOldest() {
        if (entries <= maxEntries) {
            return;
        }
        long excess = entries - maxEntries;
        List<KeyValue<Long, Bytes>> oldest = new ArrayList<>();
        // a range from the first live sequence number, so RocksDB skips the tombstones of earlier evictions
        try (KeyValueIterator<Long, Bytes> live = order.range(firstSequence, nextSequence - 1)) {
            while (live.hasNext() && oldest.size() < excess) {
                oldest.add(live.next());
            }
        }
        for (KeyValue<Long, Bytes> entry : oldest) {
            order.delete(entry.key);
            results.delete(entry.value);
            firstSequence = entry.key + 1;
            entries--;
        }
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) EventParser.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A cached inference result is not valid JSON; the cache store is corrupt.", e);
        }
    }
}
