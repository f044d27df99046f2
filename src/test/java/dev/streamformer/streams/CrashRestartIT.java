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
 */
class CrashRestartIT {

    private static final Logger log = LoggerFactory.getLogger(CrashRestartIT.class);
    private static final Path CHILD_LOG = Path.of("target", "crash-restart-child.log");
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
            try {
                KafkaTestSupport.await(() -> reader.poll().size() >= count / 4, Duration.ofSeconds(60), "a quarter of the output");
            } finally {
                PipelineProcesses.kill(child);
            }
            int seenAtKill = reader.poll().size();
            log.info("killed the pipeline process after {} committed records", seenAtKill);
            assertTrue(seenAtKill < count, "the kill must come mid-stream, saw " + seenAtKill);

            long restart = System.nanoTime();
            PipelineConfig config = PipelineProcess.config(broker.bootstrapServers(), "it-crash", "crash-in", "crash-out",
                    stateDir.toString());
            try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task)) {
                pipeline.start();
                reader.readAtLeast(count, Duration.ofSeconds(90), Duration.ofSeconds(3));
                log.info("restarted instance finished in {} s; counters {} ({} records restored in pending batches)",
                        String.format("%.1f", (System.nanoTime() - restart) / 1e9), pipeline.counters(),
                        pipeline.counters().restoredPending());
            }
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("crash-out");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("crash-in.dlq");
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(good, output.size());
        }
    }
}
