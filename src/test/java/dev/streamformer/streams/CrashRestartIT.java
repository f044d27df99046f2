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
 * and a new instance with the same application id takes over: still every good record exactly once.
 *
 * <p>Asserted, not just logged: the kill came while records were produced but not yet output, the crashed process
 * left records waiting in its committed pending-batch changelog (read by an independent read_committed consumer),
 * and the new instance restored exactly those records into its pending batches and emitted them.
 */
class CrashRestartIT {

    private static final Logger log = LoggerFactory.getLogger(CrashRestartIT.class);
    private static final Path CHILD_LOG = Path.of("target", "crash-restart-child.log");
    private static final String CHANGELOG = "it-crash-" + BatchInferenceProcessor.PENDING_STORE + "-changelog";
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void killedMidStreamAndRestartedStillExactlyOnce(@TempDir Path stateDir) throws Exception {
        int count = 4_000;
        broker.createTopics(4, "crash-in", "crash-out", "crash-in.dlq");
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), "crash-in",
                KafkaTestSupport.events(count));
        long good = produced.stream().filter(p -> !p.bad()).count();

        try (var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "crash-out", "crash-in.dlq")) {
            Process child = PipelineProcesses.start(CHILD_LOG, Duration.ofSeconds(60), broker.bootstrapServers(), "it-crash",
                    "crash-in", "crash-out", stateDir, 20);
            int leftPending = 0;
            try {
                KafkaTestSupport.await(() -> reader.poll().size() >= count / 4, Duration.ofSeconds(60), "a quarter of the output");
                // kill while the committed changelog holds waiting records, so that the restart has a batch to restore:
                // freeze the process (SIGSTOP: no commit can happen any more), look, and kill it frozen, or let it go on
                // and look again (a commit between a look and an unfrozen kill could empty the store)
                for (int attempt = 0; attempt < 100 && leftPending == 0; attempt++) {
                    signal(child, "STOP");
                    try (var changelog = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), CHANGELOG)) {
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
            PipelineConfig config = PipelineProcess.config(broker.bootstrapServers(), "it-crash", "crash-in", "crash-out",
                    stateDir.toString());
            try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task)) {
                pipeline.start();
                reader.readAtLeast(count, Duration.ofSeconds(90), Duration.ofSeconds(3));
                log.info("restarted instance finished in {} s; counters {} ({} records restored in pending batches)",
                        String.format("%.1f", (System.nanoTime() - restart) / 1e9), pipeline.counters(),
                        pipeline.counters().restoredPending());
                assertEquals(leftPending, pipeline.counters().restoredPending(),
                        "the restarted instance restores exactly what the crashed one left in the committed changelog");
            }
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("crash-out");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("crash-in.dlq");
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
