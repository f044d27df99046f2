package dev.streamformer.streams;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.streamformer.streams.TopologyRun.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tombstones (null values) and keys on the Kafka path: passed through in order, or dropped; never dead letters. */
class TombstoneTopologyTest {

    private TopologyRun run;
    private PipelineMetrics metrics;

    @AfterEach
    void close() {
        if (run != null) run.close();
    }

    private void start(PipelineConfig.Tombstones tombstones, int maxRecords) {
        metrics = new PipelineMetrics();
        var config = PipelineConfig.builder().inputTopic("events").outputTopic("enriched").tombstones(tombstones)
                .batching(new PipelineConfig.Batching(10_000, maxRecords, Duration.ofSeconds(60)));
        run = TopologyRun.start(config, new TextStatsTask(), metrics);
    }

    @Test
    void aTombstoneGoesToTheOutputTopicUnchangedAfterTheEventsReadBeforeIt() {
        start(PipelineConfig.Tombstones.PASS, 10); // the first event waits in the batch when the tombstone comes
        run.input.pipeInput("k".getBytes(UTF_8), "{\"text\":\"an old version\"}".getBytes(UTF_8));
        var headers = new RecordHeaders().add("trace", new byte[] {7});
        run.input.pipeInput(new TestRecord<>("k".getBytes(UTF_8), null, headers, T0.plusSeconds(3)));

        List<TestRecord<byte[], byte[]>> written = run.output.readRecordsToList();
        assertEquals(2, written.size());
        assertTrue(new String(written.get(0).value(), UTF_8).contains("an old version"), "the event first");
        TestRecord<byte[], byte[]> delete = written.get(1);
        assertNull(delete.value(), "then its delete");
        assertEquals("k", new String(delete.key(), UTF_8));
        assertEquals(T0.plusSeconds(3), delete.getRecordTime());
        assertArrayEquals(new byte[] {7}, delete.headers().lastHeader("trace").value());
        assertTrue(run.deadLetters.isEmpty());
        assertEquals(1, metrics.tombstonesPassed());
        assertEquals(0, metrics.snapshot().deadLetters());
    }

    @Test
    void tombstonesWithANullOrEmptyKeyPassToo() {
        start(PipelineConfig.Tombstones.PASS, 1);
        run.input.pipeInput(new TestRecord<byte[], byte[]>(null, null, T0));
        run.input.pipeInput(new TestRecord<>(new byte[0], null, T0));
        List<TestRecord<byte[], byte[]>> written = run.output.readRecordsToList();
        assertEquals(2, written.size());
        assertNull(written.get(0).key());
        assertArrayEquals(new byte[0], written.get(1).key());
        assertTrue(run.deadLetters.isEmpty());
    }

    @Test
    void dropDropsTombstonesAndCountsThem() {
        start(PipelineConfig.Tombstones.DROP, 1);
        run.input.pipeInput("k".getBytes(UTF_8), (byte[]) null);
        run.input.pipeInput("k".getBytes(UTF_8), "{\"text\":\"kept\"}".getBytes(UTF_8));
        List<TestRecord<byte[], byte[]>> written = run.output.readRecordsToList();
        assertEquals(1, written.size());
        assertTrue(new String(written.getFirst().value(), UTF_8).contains("kept"));
        assertTrue(run.deadLetters.isEmpty());
        assertEquals(1, metrics.tombstonesDropped());
    }

    @Test
    void eventsWithANullOrEmptyKeyAreEnrichedWithTheirKeyAsItWas() {
        start(PipelineConfig.Tombstones.PASS, 1);
        run.input.pipeInput(new TestRecord<>(null, "{\"text\":\"no key\"}".getBytes(UTF_8), T0));
        run.input.pipeInput(new TestRecord<>(new byte[0], "{\"text\":\"empty key\"}".getBytes(UTF_8), T0));
        List<TestRecord<byte[], byte[]>> written = run.output.readRecordsToList();
        assertEquals(2, written.size());
        assertNull(written.get(0).key());
        assertTrue(new String(written.get(0).value(), UTF_8).contains("\"length\":6"));
        assertArrayEquals(new byte[0], written.get(1).key());
    }

    @Test
    void tombstoneHandlingIsParsedFromItsNameOrRefusedInOneSentence() {
        assertEquals(PipelineConfig.Tombstones.DROP, PipelineConfig.Tombstones.parse("drop"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> PipelineConfig.Tombstones.parse("dlq"));
        assertEquals("Unknown tombstone handling 'dlq': use pass or drop (--tombstones; topology file: tombstones).", e.getMessage());
    }
}
