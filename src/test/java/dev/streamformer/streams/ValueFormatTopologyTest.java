package dev.streamformer.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.FormatUnavailableException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.event.ValueFormats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stage's value format on the Kafka path: chosen by name, and waited for (not dead-lettered) while unavailable. */
class ValueFormatTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fails its first {@code failures} reads and writes for now, like a registry that comes back; records the topics it saw. */
    static final class FlakyFormat implements ValueFormat {
        final AtomicInteger readFailuresLeft;
        final AtomicInteger writeFailuresLeft;
        volatile String lastOutputTopic;

        FlakyFormat(int failures) {
            readFailuresLeft = new AtomicInteger(failures);
            writeFailuresLeft = new AtomicInteger(failures);
        }

        @Override
        public Decoded read(String topic, byte[] value) {
            if (readFailuresLeft.getAndDecrement() > 0) throw new FormatUnavailableException("The test registry is down.");
            return new Decoded(EventParser.mapper().createObjectNode().put("text", new String(value, UTF_8)), "read from " + topic);
        }

        @Override
        public byte[] write(String outputTopic, Decoded input, ObjectNode enriched) {
            if (writeFailuresLeft.getAndDecrement() > 0) throw new FormatUnavailableException("The test registry is down.");
            lastOutputTopic = outputTopic;
            return (input.writerState() + ": " + enriched.get("length")).getBytes(UTF_8);
        }
    }

    private TopologyRun run;
    private PipelineMetrics metrics;

    @AfterEach
    void close() {
        if (run != null) run.close();
    }

    private void start(PipelineConfig.Format format) {
        metrics = new PipelineMetrics();
        var config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(1000, 1, Duration.ofMillis(50))).valueFormat(format);
        run = TopologyRun.start(config, new TextStatsTask(), metrics);
    }

    @Test
    void aFormatUnavailableForNowIsRetriedNeitherDeadLetteredNorDroppedAndMarksTheStageUntilItWorks() {
        var flaky = new FlakyFormat(3);
        ValueFormats.register(provider("flaky-test", flaky));
        start(new PipelineConfig.Format("flaky-test", Map.of()));

        run.input.pipeInput("k".getBytes(UTF_8), "four".getBytes(UTF_8));

        assertEquals("read from events: 4", new String(run.output.readRecord().value(), UTF_8));
        assertEquals("enriched", flaky.lastOutputTopic);
        assertTrue(run.deadLetters.isEmpty());
        assertEquals(6, metrics.formatRetries(), "3 failed reads and 3 failed writes, each retried");
        assertNull(metrics.formatUnavailable(), "available again");
        assertEquals(0, metrics.snapshot().deadLetters());
    }

    @Test
    void aFormatStillUnavailableAfterTheRetryBoundLeavesTheThreadWithNothingWritten() {
        ValueFormats.register(provider("down-test", new FlakyFormat(Integer.MAX_VALUE)));
        metrics = new PipelineMetrics();
        var config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .valueFormat(new PipelineConfig.Format("down-test", Map.of()))
                .streamsConfig("max.poll.interval.ms", "1200"); // gives up after 300 ms of backoff
        run = TopologyRun.start(config, new TextStatsTask(), metrics);

        var thrown = assertThrows(RuntimeException.class, () -> run.input.pipeInput("k".getBytes(UTF_8), "four".getBytes(UTF_8)));
        assertTrue(causedBy(thrown, FormatUnavailableException.class), thrown.toString());
        assertTrue(run.deadLetters.isEmpty());
        assertEquals("The test registry is down.", metrics.formatUnavailable(), "the stage is marked unavailable");
    }

    @Test
    void aTextStageTakesTheWholeValueAsTheText() throws Exception {
        start(new PipelineConfig.Format("text", Map.of()));
        run.input.pipeInput("k".getBytes(UTF_8), "{\"not\": \"json\"} plain".getBytes(UTF_8));
        var out = JSON.readTree(run.output.readRecord().value());
        assertEquals("{\"not\": \"json\"} plain", out.get("text").asText());
        assertEquals(21, out.get("length").asInt());
        assertTrue(run.deadLetters.isEmpty());
    }

    @Test
    void anUnknownFormatIsRefusedWhenTheStageIsConfigured() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PipelineConfig.Format("xml", Map.of()));
        assertTrue(e.getMessage().startsWith("Unknown value format 'xml': use one of "), e.getMessage());
    }

    private static ValueFormat.Provider provider(String name, ValueFormat format) {
        return new ValueFormat.Provider() {
            @Override public String name() { return name; }
            @Override public ValueFormat create(Map<String, String> settings) { return format; }
        };
    }

    private static boolean causedBy(Throwable error, Class<?> type) {
        for (Throwable t = error; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
        return false;
    }
}
