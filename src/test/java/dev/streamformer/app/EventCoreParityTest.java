package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.event.EventParser;
import dev.streamformer.streams.BadInputCorpusTest;
import dev.streamformer.streams.DeadLetters;
import dev.streamformer.streams.EnrichmentTopology;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.streams.PipelineMetrics;
import dev.streamformer.streams.TextStatsTask;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One event core: the bad-input corpus (plus a tokenizer failure, a model failure and a non-finite result) goes through the Kafka topology
 * and through the command line's JSON Lines, and each event gets the same enriched bytes or the same error reason on
 * both. The two differences are the command line's framing, stated in the README: a line over 1 MiB is refused before
 * it is parsed, and a line that does not start with {@code '{'} is plain text.
 */
class EventCoreParityTest {

    /** Outcomes that differ by design: the command line's framing of lines. */
    static final Map<String, String> CLI_FRAMING = Map.of(
            "ten-megabytes", "line-too-long",                     // over the 1 MiB line limit, refused unread
            "not-an-object", "enriched:{\"text\":\"[\\\"text\\\", \\\"hello\\\"]\"");  // not '{': plain text

    static Map<String, byte[]> corpus() {
        Map<String, byte[]> corpus = new LinkedHashMap<>(BadInputCorpusTest.corpus());
        corpus.put("model-failure", utf8("{\"text\": \"this one " + TextStatsTask.FAIL_MARKER + "\"}"));
        corpus.put("non-finite-output", utf8("{\"text\": \"this one " + TextStatsTask.NAN_MARKER + "\"}"));
        corpus.put("tokenizer-failure", utf8("{\"text\": \"this one " + TextStatsTask.UNTOKENIZABLE_MARKER + "\"}"));
        return corpus;
    }

    @Test
    void theKafkaPipelineAndTheCommandLineAgreeOnEveryEvent() throws Exception {
        Map<String, byte[]> corpus = corpus();
        Map<String, String> kafka = throughKafka(corpus);
        Map<String, String> cli = throughJsonLines(corpus);
        assertEquals(corpus.keySet(), kafka.keySet());
        assertEquals(corpus.keySet(), cli.keySet());
        for (String name : corpus.keySet()) {
            if (CLI_FRAMING.containsKey(name)) {
                assertTrue(cli.get(name).startsWith(CLI_FRAMING.get(name)), name + ": " + cli.get(name));
            } else {
                assertEquals(kafka.get(name), cli.get(name), name);
            }
        }
        assertEquals("model-failure", kafka.get("model-failure"));
        assertEquals("non-finite-output", kafka.get("non-finite-output"));
        assertEquals("tokenizer-failure", kafka.get("tokenizer-failure"));
        BadInputCorpusTest.EXPECTED.forEach((name, expected) -> {
            if (!expected.equals(BadInputCorpusTest.ENRICHED) && !expected.equals(BadInputCorpusTest.TRUNCATED)) {
                assertEquals(expected, kafka.get(name), name);
            }
        });
    }

    /** Name → {@code enriched:<output JSON>} or the dead-letter reason. */
    private static Map<String, String> throughKafka(Map<String, byte[]> corpus) {
        QuietKafkaLogs.apply();
        PipelineConfig config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(4096, 8, Duration.ofMillis(100)))
                .streamsConfig("bootstrap.servers", "unused:9092").streamsConfig("application.id", "parity").build();
        Map<String, String> outcome = new LinkedHashMap<>();
        try (var driver = new TopologyTestDriver(EnrichmentTopology.build(config, new TextStatsTask(), new PipelineMetrics()),
                config.streamsProperties(), Instant.parse("2026-01-01T00:00:00Z"))) {
            var input = driver.createInputTopic("events", new ByteArraySerializer(), new ByteArraySerializer());
            var output = driver.createOutputTopic("enriched", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            var dlq = driver.createOutputTopic("events.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
            corpus.forEach((name, bytes) -> input.pipeInput(utf8(name), bytes));
            driver.advanceWallClockTime(Duration.ofSeconds(1));   // one tick sees the input pause,
            driver.advanceWallClockTime(Duration.ofSeconds(1));   // the next flushes the last batch
            for (TestRecord<byte[], byte[]> r : output.readRecordsToList()) {
                outcome.put(new String(r.key(), StandardCharsets.UTF_8), "enriched:" + new String(r.value(), StandardCharsets.UTF_8));
            }
            for (TestRecord<byte[], byte[]> r : dlq.readRecordsToList()) {
                outcome.put(new String(r.key(), StandardCharsets.UTF_8),
                        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
            }
        }
        return outcome;
    }

    /** Name → {@code enriched:<output line>} or the error line's reason. */
    private static Map<String, String> throughJsonLines(Map<String, byte[]> corpus) throws Exception {
        var in = new ByteArrayOutputStream();
        for (byte[] event : corpus.values()) {
            in.write(event);
            in.write('\n');
        }
        var out = new ByteArrayOutputStream();
        var task = new TextStatsTask();
        var lines = new JsonLines(EventParser.DEFAULT_TEXT_FIELD, EventParser.DEFAULT_MAX_TEXT_BYTES, false,
                new Progress(System.err, false), task::countTokens, task.modelId(), task.input());
        assertEquals(0, lines.run(new ByteArrayInputStream(in.toByteArray()), new PrintStream(out, true, StandardCharsets.UTF_8), task::run));
        List<String> written = new ArrayList<>(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
        assertEquals(corpus.size(), written.size());
        Map<String, String> outcome = new LinkedHashMap<>();
        var json = new ObjectMapper();
        int i = 0;
        for (String name : corpus.keySet()) {
            String line = written.get(i++);
            JsonNode node = json.readTree(line);
            outcome.put(name, node.has("reason") && node.has("line") ? node.get("reason").asText() : "enriched:" + line);
        }
        return outcome;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
