package dev.streamformer.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The inference cache on Kafka's TopologyTestDriver: hits skip the task, output stays identical, size stays bounded. */
class InferenceCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "ttd-cache";

    private TopologyRun run;
    private TextStatsTask task;
    private PipelineMetrics metrics;

    @AfterEach
    void close() {
        if (run != null) run.close();
    }

    private void start(int maxRecords, PipelineConfig.Cache cache, String taskSettings) {
        task = new TextStatsTask();
        metrics = new PipelineMetrics();
        var config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(10_000, maxRecords, Duration.ofMillis(200))).cache(cache)
                .streamsConfig("application.id", APP);
        run = TopologyRun.start(config, built -> EnrichmentTopology.build(built, task, taskSettings, metrics));
    }

    private void send(String key, String text) {
        run.input.pipeInput(key.getBytes(UTF_8), event(key, text));
    }

    private static byte[] event(String id, String text) {
        return JSON.createObjectNode().put("id", id).put("text", text).toString().getBytes(UTF_8);
    }

    private int textsRun() {
        return task.callSizes().stream().mapToInt(Integer::intValue).sum();
    }

    private List<String> readTexts() throws Exception {
        var texts = new ArrayList<String>();
        for (TestRecord<byte[], byte[]> r : run.output.readRecordsToList()) {
            texts.add(JSON.readTree(r.value()).get("text").asText());
        }
        return texts;
    }

    @Test
    void aHitGivesTheSameOutputBytesWithoutCallingTheTask() throws Exception {
        start(1, new PipelineConfig.Cache(true, 100), "text-stats");
        send("k1", "the same words again");
        byte[] miss = run.output.readValue();
        send("k1", "the same words again");
        byte[] hit = run.output.readValue();

        assertEquals(List.of(1), task.callSizes(), "the second record did not reach the task");
        assertArrayEquals(miss, hit);
        ObjectNode expected = (ObjectNode) JSON.readTree(event("k1", "the same words again"));
        expected.setAll(TextStatsTask.stats("the same words again"));
        expected.put("model", "test/text-stats");
        assertEquals(expected, JSON.readTree(hit));
        assertEquals(1, metrics.snapshot().cacheHits());
        assertEquals(1, metrics.snapshot().cacheMisses());
    }

    @Test
    void withoutTheCacheEveryRecordRunsTheTask() throws Exception {
        start(1, PipelineConfig.Cache.OFF, "text-stats");
        send("k1", "the same words again");
        send("k2", "the same words again");
        assertEquals(List.of(1, 1), task.callSizes());
        assertEquals(2, run.output.readRecordsToList().size());
        assertEquals(0, metrics.snapshot().cacheHits() + metrics.snapshot().cacheMisses());
    }

    @Test
    void duplicatesInOneBatchRunOnceAndHitsKeepInputOrder() throws Exception {
        start(4, new PipelineConfig.Cache(true, 100), "text-stats");
        send("a", "alpha");
        send("b", "beta");
        send("c", "alpha");
        send("d", "alpha");          // batch full: runs alpha and beta once each
        assertEquals(List.of(2), task.callSizes());
        assertEquals(List.of("alpha", "beta", "alpha", "alpha"), readTexts());

        send("e", "gamma");          // nothing pending and a miss: waits in the batch
        send("f", "beta");           // a hit behind a pending record waits too, so order is kept
        send("g", "delta");
        send("h", "gamma");
        assertEquals(List.of(2, 2), task.callSizes(), "gamma and delta ran, once each");
        assertEquals(List.of("gamma", "beta", "delta", "gamma"), readTexts());
        assertEquals(4, metrics.snapshot().cacheMisses(), "alpha, beta, gamma, delta");
        assertEquals(4, metrics.snapshot().cacheHits());
    }

    @Test
    void aDifferentTaskSettingIsADifferentKey() {
        var a = new InferenceCache("test/text-stats", "settings-A", 10);
        var b = new InferenceCache("test/text-stats", "settings-B", 10);
        var otherModel = new InferenceCache("test/other", "settings-A", 10);
        assertNotEquals(a.key("hello"), b.key("hello"));
        assertNotEquals(a.key("hello"), otherModel.key("hello"));
        assertEquals(a.key("hello"), new InferenceCache("test/text-stats", "settings-A", 99).key("hello"));
        // length prefixes: moving a character between the parts changes the key
        assertNotEquals(new InferenceCache("m", "ab", 1).key("c"), new InferenceCache("m", "a", 1).key("bc"));
    }

    @Test
    void theOldestEntriesAreEvictedAndTheSizeStaysBounded() throws Exception {
        start(1, new PipelineConfig.Cache(true, 3), "text-stats");
        for (String text : List.of("one", "two", "three", "four", "five")) {
            send(text, text);
        }
        assertEquals(5, textsRun());
        KeyValueStore<Bytes, byte[]> results = run.driver.getKeyValueStore(InferenceCache.RESULTS_STORE);
        KeyValueStore<Long, Bytes> order = run.driver.getKeyValueStore(InferenceCache.ORDER_STORE);
        assertEquals(3, count(results));
        assertEquals(List.of(2L, 3L, 4L), keys(order), "sequence numbers of three, four, five");

        send("five", "five");        // still cached
        assertEquals(5, textsRun());
        send("one", "one");          // evicted first: runs again, and evicts "three"
        assertEquals(6, textsRun());
        send("three", "three");
        assertEquals(7, textsRun());
        assertEquals(3, count(results));
        assertEquals(8, run.output.readRecordsToList().size());
    }

    /**
     * A restore replays the changelogs; what they hold after the last commit must be exactly the stores' contents,
     * for both stores (so the eviction order is restored too).
     */
    @Test
    void theChangelogsHoldWhatARestoreNeeds() {
        start(1, new PipelineConfig.Cache(true, 2), "text-stats");
        for (String text : List.of("one", "two", "three", "two", "four")) {
            send(text, text);
        }
        Map<Bytes, byte[]> results = replay(InferenceCache.RESULTS_STORE);
        Map<Bytes, byte[]> order = replay(InferenceCache.ORDER_STORE);
        KeyValueStore<Bytes, byte[]> resultStore = run.driver.getKeyValueStore(InferenceCache.RESULTS_STORE);
        KeyValueStore<Long, Bytes> orderStore = run.driver.getKeyValueStore(InferenceCache.ORDER_STORE);
        assertEquals(2, results.size());
        results.forEach((key, value) -> assertArrayEquals(resultStore.get(key), value));
        var restoredOrder = new TreeMap<Long, Bytes>();
        var longs = new LongDeserializer();
        order.forEach((key, value) -> restoredOrder.put(longs.deserialize("", key.get()), Bytes.wrap(value)));
        assertEquals(List.of(2L, 3L), List.copyOf(restoredOrder.keySet()), "three and four");
        restoredOrder.forEach((seq, hash) -> assertEquals(orderStore.get(seq), hash));
    }

    /** Latest value per key on a store's changelog topic, tombstones removing the key: what a restore rebuilds. */
    private Map<Bytes, byte[]> replay(String store) {
        var changelog = run.outputTopic(APP + "-" + store + "-changelog");
        Map<Bytes, byte[]> state = new HashMap<>();
        for (KeyValue<byte[], byte[]> kv : changelog.readKeyValuesToList()) {
            if (kv.value == null) {
                state.remove(Bytes.wrap(kv.key));
            } else {
                state.put(Bytes.wrap(kv.key), kv.value);
            }
        }
        return state;
    }

    private static <K, V> int count(KeyValueStore<K, V> store) {
        int n = 0;
        try (KeyValueIterator<K, V> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    private static List<Long> keys(KeyValueStore<Long, Bytes> store) {
        var keys = new ArrayList<Long>();
        try (KeyValueIterator<Long, Bytes> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
