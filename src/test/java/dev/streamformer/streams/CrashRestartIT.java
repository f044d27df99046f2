package dev.streamformer.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline process is killed with SIGKILL mid-stream (open transaction, records waiting in the pending batch),
 * and a new instance with the same application id takes over: still every good record exactly once. Once with JSON
 * events, once with Avro records (format {@code avro}: the pending batches hold what the Avro reader made of them).
 *
 * <p>Asserted, not just logged: the kill came while records were produced but not yet output, the crashed process
 * left records waiting in its committed pending-batch changelog (read by an independent read_committed consumer),
 * and the new instance restored exactly those records into its pending batches and emitted them.
 */
class CrashRestartIT {

    private static final Logger log = LoggerFactory.getLogger(CrashRestartIT.class);
    private static final Path CHILD_LOG = Path.of("target", "crash-restart-child.log");
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void killedMidStreamAndRestartedStillExactlyOnce(@TempDir Path stateDir) throws Exception {
        killAndRestart("crash", 4_000, KafkaTestSupport.events(4_000), null, stateDir);
    }

    /**
     * The same with Avro records of {@code {id, text, seq}} (format {@code avro}, schema from a file); the bad events stay
     * the JSON bytes they are, which no Avro reader takes ({@code '{'} is a negative string length).
     */
    @Test
    void avroRecordsKilledMidStreamAndRestartedStillExactlyOnce(@TempDir Path stateDir) throws Exception {
        Path schemaFile = java.nio.file.Files.writeString(stateDir.resolve("event.avsc"), EVENT.toString());
        var events = new java.util.ArrayList<KafkaTestSupport.Event>();
        for (KafkaTestSupport.Event e : KafkaTestSupport.events(2_000)) {
            events.add(e.bad() ? e : new KafkaTestSupport.Event(e.id(), avro(e.value()), false));
        }
        killAndRestart("crash-avro", 2_000, events, schemaFile, stateDir.resolve("state"));
    }

    private static final org.apache.avro.Schema EVENT = new org.apache.avro.Schema.Parser().parse("""
            {"type": "record", "name": "Event", "fields": [{"name": "id", "type": "string"},
             {"name": "text", "type": "string"}, {"name": "seq", "type": "int"}]}""");

    /** A JSON event {@code {id, text, seq}} as the Avro binary of an {@link #EVENT}, written by Apache Avro. */
    private static byte[] avro(byte[] json) throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        var record = new org.apache.avro.generic.GenericData.Record(EVENT);
        record.put("id", node.get("id").textValue());
        record.put("text", node.get("text").textValue());
        record.put("seq", node.get("seq").intValue());
        var out = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(EVENT).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Kills a pipeline process mid-stream over these events, restarts in process, and checks exactly once. */
    private void killAndRestart(String prefix, int count, List<KafkaTestSupport.Event> events, Path avroSchemaFile, Path stateDir)
            throws Exception {
        String in = prefix + "-in", out = prefix + "-out", dlq = prefix + "-in.dlq", applicationId = "it-" + prefix;
        String changelogTopic = applicationId + "-" + BatchInferenceProcessor.PENDING_STORE + "-changelog";
        broker.createTopics(4, in, out, dlq);
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), in, events);
        long good = produced.stream().filter(p -> !p.bad()).count();

        try (var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), out, dlq)) {
            Process child = PipelineProcesses.start(CHILD_LOG, Duration.ofSeconds(60), broker.bootstrapServers(), applicationId,
                    in, out, stateDir, 20, avroSchemaFile);
            int leftPending = 0;
            try {
                KafkaTestSupport.await(() -> reader.poll().size() >= count / 4, Duration.ofSeconds(60), "a quarter of the output");
                // kill while the committed changelog holds waiting records, so that the restart has a batch to restore:
                // freeze the process (SIGSTOP: no commit can happen any more), look, and kill it frozen, or let it go on
                // and look again (a commit between a look and an unfrozen kill could empty the store)
                for (int attempt = 0; attempt < 100 && leftPending == 0; attempt++) {
                    signal(child, "STOP");
                    try (var changelog = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), changelogTopic)) {
                        leftPending = KafkaTestSupport.livePending(changelog.readAtLeast(0, Duration.ZERO, Duration.ofSeconds(1)));
                    }
                    if (leftPending == 0) {
                        signal(child, "CONT");
                        Thread.sleep(50);
                    }
                }
            } finally {
                PipelineProcesses.kill(child);
            }
            int seenAtKill = reader.poll().size();
            log.info("killed the pipeline process after {} committed records; {} records left waiting in its committed pending batches",
                    seenAtKill, leftPending);
            assertTrue(seenAtKill < count, "the kill must come mid-stream (records produced but not yet output), saw " + seenAtKill);
            assertTrue(leftPending > 0, "the crashed process must leave records waiting in its committed pending batches");

            long restart = System.nanoTime();
            PipelineConfig config = PipelineProcess.config(broker.bootstrapServers(), applicationId, in, out, stateDir.toString(),
                    avroSchemaFile == null ? null : PipelineProcess.avro(avroSchemaFile.toString()));
            try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task)) {
                pipeline.start();
                reader.readAtLeast(count, Duration.ofSeconds(90), Duration.ofSeconds(3));
                log.info("restarted instance finished in {} s; counters {} ({} records restored in pending batches)",
                        String.format("%.1f", (System.nanoTime() - restart) / 1e9), pipeline.counters(),
                        pipeline.counters().restoredPending());
                assertEquals(leftPending, pipeline.counters().restoredPending(),
                        "the restarted instance restores exactly what the crashed one left in the committed changelog");
            }
            List<ConsumerRecord<byte[], byte[]>> output = reader.from(out);
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from(dlq);
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(good, output.size());
        }
    }

    /** Sends a signal to the child JVM (STOP freezes it, CONT lets it go on). */
    private static void signal(Process process, String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed with exit code " + exit);
    }
}
