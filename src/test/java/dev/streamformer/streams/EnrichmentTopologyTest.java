package dev.streamformer.streams;

import dev.streamformer.event.InvalidEventException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.streamformer.streams.TopologyRun.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processors on Kafka's TopologyTestDriver: validation, dead letters, batching, bisection, routing. */
class EnrichmentTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_WAIT = Duration.ofMillis(200);

    private TopologyRun run;
    private TextStatsTask task;

    @AfterEach
    void close() {
        if (run != null) run.close();
    }

    private void start(PipelineConfig.Builder builder) {
        task = new TextStatsTask();
        run = TopologyRun.start(builder, task, new PipelineMetrics());
    }

    private static PipelineConfig.Builder config(int maxTokens, int maxRecords) {
        return PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(maxTokens, maxRecords, MAX_WAIT));
    }

    private void send(String key, String json) {
        run.input.pipeInput(key.getBytes(UTF_8), json.getBytes(UTF_8));
    }

    @Test
    void enrichesAnEventKeepingKeyTimestampHeadersAndEveryInputFieldExactly() throws Exception {
        start(config(1000, 1));
        String event = "{\"id\":7,\"text\":\"héllo wörld 😀\",\"price\":1.10,\"big\":123456789012345678901234567890,"
                + "\"nested\":{\"a\":[1,2,{\"b\":null}]}}";
        var headers = new RecordHeaders().add("trace", "abc".getBytes(UTF_8));
        run.input.pipeInput(new TestRecord<>("k7".getBytes(UTF_8), event.getBytes(UTF_8), headers, T0.plusSeconds(5)));

        TestRecord<byte[], byte[]> out = run.output.readRecord();
        assertEquals("k7", new String(out.key(), UTF_8));
        assertEquals(T0.plusSeconds(5), out.getRecordTime());
        assertEquals("abc", header(out.headers(), "trace"));
        String written = new String(out.value(), UTF_8);
        // input fields verbatim (numbers not rounded), results and model appended
        assertTrue(written.startsWith("{\"id\":7,\"text\":\"héllo wörld 😀\",\"price\":1.10,\"big\":123456789012345678901234567890,"
                + "\"nested\":{\"a\":[1,2,{\"b\":null}]}"), written);
        ObjectNode expected = (ObjectNode) JSON.readTree(event);
        expected.setAll(TextStatsTask.stats("héllo wörld 😀"));
        expected.put("model", "test/text-stats");
        assertEquals(expected, JSON.readTree(written));
        assertEquals(13, JSON.readTree(written).get("length").asInt(), "code points");
        assertTrue(run.deadLetters.isEmpty());
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"text\":\"abc\"".getBytes(UTF_8), "malformed-json"),
                Arguments.of("not JSON", "hello".getBytes(UTF_8), "malformed-json"),
                Arguments.of("trailing data", "{\"text\":\"a\"} {\"text\":\"b\"}".getBytes(UTF_8), "malformed-json"),
                Arguments.of("duplicate key", "{\"text\":\"a\",\"text\":\"b\"}".getBytes(UTF_8), "malformed-json"),
                Arguments.of("raw NUL in string", "{\"text\":\"a\u0000b\"}".getBytes(UTF_8), "malformed-json"),
                Arguments.of("deep nesting", ("{\"text\":\"a\",\"x\":" + "[".repeat(500) + "]".repeat(500) + "}").getBytes(UTF_8), "malformed-json"),
                Arguments.of("empty value", new byte[0], "malformed-json"),
                Arguments.of("invalid UTF-8", new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "invalid-utf8"),
                Arguments.of("UTF-16", "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_16), "invalid-utf8"),
                Arguments.of("array", "[1,2]".getBytes(UTF_8), "not-an-object"),
                Arguments.of("string", "\"text\"".getBytes(UTF_8), "not-an-object"),
                Arguments.of("missing text", "{\"body\":\"a\"}".getBytes(UTF_8), "missing-text"),
                Arguments.of("null text", "{\"text\":null}".getBytes(UTF_8), "missing-text"),
                Arguments.of("number text", "{\"text\":42}".getBytes(UTF_8), "text-not-string"),
                Arguments.of("array text", "{\"text\":[\"a\"]}".getBytes(UTF_8), "text-not-string"),
                Arguments.of("object text", "{\"text\":{\"a\":1}}".getBytes(UTF_8), "text-not-string"),
                Arguments.of("empty text", "{\"text\":\"\"}".getBytes(UTF_8), "empty-text"),
                Arguments.of("whitespace text", "{\"text\":\" \\t\\n \"}".getBytes(UTF_8), "empty-text"),
                Arguments.of("lone surrogate", "{\"text\":\"a\\ud800b\"}".getBytes(UTF_8), "invalid-unicode"),
                Arguments.of("too long", ("{\"text\":\"" + "é".repeat(60) + "\"}").getBytes(UTF_8), "text-too-long"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void deadLettersABadEventWithItsOriginalBytesAndTheReason(String what, byte[] value, String reason) {
        start(config(1000, 1).maxTextBytes(100)); // 60 × "é" = 120 bytes > 100
        run.input.pipeInput(new TestRecord<>("k".getBytes(UTF_8), value, new RecordHeaders().add("trace", new byte[]{1}), T0));
        send("good", "{\"text\":\"still running\"}");

        TestRecord<byte[], byte[]> dead = run.deadLetters.readRecord();
        assertArrayEquals(value, dead.value());
        assertEquals("k", new String(dead.key(), UTF_8));
        assertEquals(T0, dead.getRecordTime());
        Headers h = dead.headers();
        assertArrayEquals(new byte[]{1}, h.lastHeader("trace").value());
        assertEquals("parse", header(h, DeadLetters.STAGE));
        assertEquals(reason, header(h, DeadLetters.REASON));
        assertEquals(InvalidEventException.class.getName(), header(h, DeadLetters.CLASS));
        assertTrue(header(h, DeadLetters.MESSAGE).endsWith("."), header(h, DeadLetters.MESSAGE));
        assertEquals("events", header(h, DeadLetters.SOURCE_TOPIC));
        assertEquals("0", header(h, DeadLetters.SOURCE_PARTITION));
        assertEquals("0", header(h, DeadLetters.SOURCE_OFFSET));
        assertEquals("events", header(h, DeadLetters.KIP1034_TOPIC));
        assertEquals("0", header(h, DeadLetters.KIP1034_OFFSET));
        assertEquals(header(h, DeadLetters.MESSAGE), header(h, DeadLetters.KIP1034_MESSAGE));
        assertTrue(run.deadLetters.isEmpty());
        assertEquals("still running", json(run.output.readRecord()).get("text").asText());
    }

    static Stream<Arguments> oddButValidEvents() {
        return Stream.of(
                Arguments.of("emoji only", "{\"text\":\"😀🎉👍🏽\"}"),
                Arguments.of("right-to-left marks", "{\"text\":\"\u200fשלום\u200f world\"}"),
                Arguments.of("escaped control characters", "{\"text\":\"a\\u0001b\\u0000c\\td\"}"),
                Arguments.of("huge numbers kept exactly", "{\"text\":\"n\",\"big\":1e400,\"neg\":-123456789012345678901234567890.000}"),
                Arguments.of("text field not first", "{\"x\":{\"text\":\"inner\"},\"text\":\"outer\"}"),
                Arguments.of("surrogate pair escapes", "{\"text\":\"\\ud83d\\ude00 escaped emoji\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddButValidEvents")
    void enrichesOddButValidEvents(String what, String event) throws Exception {
        start(config(10_000, 1));
        send("k", event);
        assertTrue(run.deadLetters.isEmpty(), what);
        JsonNode expectedInput = JSON.readTree(event);
        byte[] value = run.output.readRecord().value();
        assertEquals(TextStatsTask.stats(expectedInput.get("text").asText()).get("crc32"), json(value).get("crc32"));
        String written = new String(value, UTF_8);
        if (expectedInput.has("big")) {   // the same numbers as in the input, not doubles
            assertTrue(written.contains("\"big\":1E+400,\"neg\":-123456789012345678901234567890.000,"), written);
        }
    }

    @Test
    void aTextTheTokenizerRejectsIsDeadLetteredAtTheTokenizeStage() {
        start(config(10_000, 2));
        send("a", "{\"text\":\"fine\"}");
        send("b", "{\"text\":\"" + TextStatsTask.UNTOKENIZABLE_MARKER + "\"}");
        send("c", "{\"text\":\"fine too\"}");
        assertEquals(2, run.output.getQueueSize());
        TestRecord<byte[], byte[]> dead = run.deadLetters.readRecord();
        assertEquals("b", new String(dead.key(), UTF_8));
        assertEquals("tokenize", header(dead.headers(), DeadLetters.STAGE));
        assertEquals("tokenizer-failure", header(dead.headers(), DeadLetters.REASON));
        assertEquals("1", header(dead.headers(), DeadLetters.SOURCE_OFFSET));
    }

    @Test
    void kip1034HeaderNamesAreKafkaStreamsOwn() {
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME, DeadLetters.KIP1034_EXCEPTION);
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME, DeadLetters.KIP1034_MESSAGE);
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_STACKTRACE_NAME, DeadLetters.KIP1034_STACKTRACE);
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME, DeadLetters.KIP1034_TOPIC);
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME, DeadLetters.KIP1034_PARTITION);
        assertEquals(ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME, DeadLetters.KIP1034_OFFSET);
    }

    @Test
    void batchesByRecordCountAndFlushesTheRestAfterMaxWait() {
        start(config(10_000, 4));
        for (int i = 0; i < 10; i++) {
            send("k" + i, "{\"id\":" + i + ",\"text\":\"text number " + i + "\"}");
        }
        assertEquals(List.of(4, 4), task.callSizes());
        assertEquals(8, run.output.getQueueSize());

        run.driver.advanceWallClockTime(MAX_WAIT.dividedBy(2));
        assertEquals(List.of(4, 4), task.callSizes(), "the last two wait for more");
        run.driver.advanceWallClockTime(MAX_WAIT);
        assertEquals(List.of(4, 4, 2), task.callSizes(), "waited max wait, and no record joined since the last tick");
        List<Integer> ids = run.output.readValuesToList().stream().map(v -> json(v).get("id").asInt()).toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids, "input order is kept");
    }

    @Test
    void whileInputKeepsComingAPartialBatchFillsUpInsteadOfFlushingByTime() {
        start(config(10_000, 1_000));
        for (int tick = 0; tick < 9; tick++) {
            send("k" + tick, "{\"text\":\"record " + tick + "\"}");
            run.driver.advanceWallClockTime(MAX_WAIT);
        }
        assertEquals(List.of(), task.callSizes(), "9 × max wait, but a record joined before every tick");
        run.driver.advanceWallClockTime(MAX_WAIT);
        assertEquals(List.of(9), task.callSizes(), "the input paused for a tick");
    }

    @Test
    void batchesByTokenBudget() {
        start(config(12, 100));            // tokens = words + 2
        send("a", "{\"text\":\"one two three\"}");              // 5
        send("b", "{\"text\":\"one two three four\"}");         // 6 → 11
        send("c", "{\"text\":\"one two\"}");                    // 4 → 15 > 12: flush [a,b] first
        send("d", "{\"text\":\"" + "w ".repeat(30) + "\"}");    // 32 alone over budget: flush [c], then [d] at once
        assertEquals(List.of(2, 1, 1), task.callSizes());
        assertEquals(4, run.output.getQueueSize());
    }

    @Test
    void aFailingTextIsBisectedOutOfItsBatchAlone() {
        start(config(10_000, 8));
        for (int i = 0; i < 8; i++) {
            String text = i == 5 ? "bad " + TextStatsTask.FAIL_MARKER : "fine text " + i;
            send("k" + i, "{\"id\":" + i + ",\"text\":\"" + text + "\"}");
        }
        List<Integer> enrichedIds = run.output.readValuesToList().stream().map(v -> json(v).get("id").asInt()).toList();
        assertEquals(List.of(0, 1, 2, 3, 4, 6, 7), enrichedIds);
        // [8] fails → [0..3] ok, [4..7] fails → [4,5] fails → [4] ok, [5] fails alone; [6,7] ok
        assertEquals(List.of(8, 4, 4, 2, 1, 1, 2), task.callSizes());

        TestRecord<byte[], byte[]> dead = run.deadLetters.readRecord();
        assertEquals("k5", new String(dead.key(), UTF_8));
        assertEquals(5, json(dead.value()).get("id").asInt());
        assertEquals("infer", header(dead.headers(), DeadLetters.STAGE));
        assertEquals("model-failure", header(dead.headers(), DeadLetters.REASON));
        assertEquals(IllegalArgumentException.class.getName(), header(dead.headers(), DeadLetters.CLASS));
        assertEquals("Test task refuses a text with the fail marker.", header(dead.headers(), DeadLetters.MESSAGE));
        assertEquals("test/text-stats", header(dead.headers(), DeadLetters.MODEL));
        assertEquals("4", header(dead.headers(), DeadLetters.TOKENS));
        assertEquals("5", header(dead.headers(), DeadLetters.SOURCE_OFFSET));
        assertTrue(header(dead.headers(), DeadLetters.KIP1034_STACKTRACE).contains("TextStatsTask.run"));
        assertTrue(run.deadLetters.isEmpty());
    }

    @Test
    void aNonFiniteResultFailsOnlyItsOwnRecord() {
        start(config(10_000, 3));
        send("a", "{\"text\":\"fine\"}");
        send("b", "{\"text\":\"" + TextStatsTask.NAN_MARKER + "\"}");
        send("c", "{\"text\":\"also fine\"}");
        assertEquals(List.of(3), task.callSizes());
        assertEquals(2, run.output.getQueueSize());
        TestRecord<byte[], byte[]> dead = run.deadLetters.readRecord();
        assertEquals("b", new String(dead.key(), UTF_8));
        assertEquals("non-finite-output", header(dead.headers(), DeadLetters.REASON));
        assertEquals(ArithmeticException.class.getName(), header(dead.headers(), DeadLetters.CLASS));
    }

    @Test
    void routesByAResultField() {
        start(config(10_000, 1).routing(new PipelineConfig.Routing("label", Map.of("long", "enriched.long"))));
        var longTopic = run.outputTopic("enriched.long");
        send("s", "{\"text\":\"two words\"}");
        send("l", "{\"text\":\"one two three four five six seven\"}");
        assertEquals("s", new String(run.output.readRecord().key(), UTF_8));
        assertTrue(run.output.isEmpty());
        TestRecord<byte[], byte[]> routed = longTopic.readRecord();
        assertEquals("l", new String(routed.key(), UTF_8));
        assertEquals("long", json(routed.value()).get("label").asText());
    }

    @Test
    void readsTheTextFromAConfiguredField() {
        start(config(10_000, 1).textField("body"));
        send("a", "{\"body\":\"from body\",\"text\":\"not this\"}");
        assertEquals(TextStatsTask.stats("from body").get("crc32"), json(run.output.readRecord()).get("crc32"));
    }

    @Test
    void describeNamesEveryNode() {
        PipelineConfig config = config(100, 4).streamsConfig("bootstrap.servers", "x:1").build();
        String description = EnrichmentTopology.build(config, new TextStatsTask(), new PipelineMetrics()).describe().toString();
        for (String node : List.of("read-events", "parse-validate", "batch-infer", "enrich", "write-enriched",
                "write-dead-letters", "pending-batch", "events.dlq")) {
            assertTrue(description.contains(node), node + " missing in\n" + description);
        }
    }

    @Test
    void recordsWaitingInTheBatchAreInTheChangelogStore() {
        start(config(10_000, 100));
        send("a", "{\"text\":\"waiting\"}");
        var store = run.driver.<org.apache.kafka.common.utils.Bytes, PendingRecord>getKeyValueStore(BatchInferenceProcessor.PENDING_STORE);
        PendingRecord waiting = store.get(PendingKeys.of(0));
        assertNotNull(waiting);
        assertEquals("{\"text\":\"waiting\"}", new String(waiting.value(), UTF_8));
        assertEquals(3, waiting.tokens());
        run.driver.advanceWallClockTime(MAX_WAIT);
        run.driver.advanceWallClockTime(MAX_WAIT);
        assertNull(store.get(PendingKeys.of(0)), "flushed records leave the store");
        assertEquals(1, run.output.getQueueSize());
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private static JsonNode json(TestRecord<byte[], byte[]> record) {
        return json(record.value());
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
