package dev.streamformer.streams;

import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that really crashes: {@code streamformer broker --data-dir} runs in its own JVM and is killed with SIGKILL
 * (no controlled shutdown, no flush, open transactions and a consumer group mid-flight) while the pipeline is working;
 * it is started again on the same data directory and port. The pipeline is not touched: it must carry on by itself,
 * and a read_committed count must find every good record exactly once and every bad one in the dead-letter topic.
 *
 * <p>Two crashes in a row by default (3,000 records, about 80 s). Several crashes in a row used to stall the pipeline
 * for good: the restarted single node served on its pre-crash metadata until its controller fenced the old incarnation,
 * and transaction markers sent in that window were dropped, leaving partitions with an open transaction for ever (see
 * {@code EmbeddedKafkaBroker.fenceThePreviousIncarnation}, which fixes it). Longer:
 * {@code ./mvnw -B test -Dtest=BrokerCrashIT -Dstreamformer.brokerCrash.records=20000 -Dstreamformer.brokerCrash.kills=3};
 * with {@code -Dstreamformer.debugKafka=true} the pipeline's rebalances and restoration are logged, and the broker logs its
 * transaction coordinator, leadership and log recovery. The broker's own log is in {@code target/broker-crash-*.log}.
 */
class BrokerCrashIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerCrashIT.class);
    private static final Duration BROKER_START = Duration.ofSeconds(90);

    @Test
    void killMinus9TheBrokerMidStreamAndRestartItOnItsDataDirNothingLostNothingDoubled(@TempDir Path dataDir,
                                                                                      @TempDir Path stateDir) throws Exception {
        QuietKafkaLogs.apply();
        if (Boolean.getBoolean("streamformer.debugKafka")) { // rebalances, fencing and restoration in the test's log
            for (String name : new String[]{"org.apache.kafka.streams", "org.apache.kafka.clients.consumer", "org.apache.kafka.clients.producer"}) {
                ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
        int count = Integer.getInteger("streamformer.brokerCrash.records", 3_000);
        int kills = Integer.getInteger("streamformer.brokerCrash.kills", 2);
        long sleepMs = Long.getLong("streamformer.brokerCrash.sleepMs", Math.max(1, 90_000L / count));
        int port = KafkaTestSupport.freePort();
        String bootstrap = "127.0.0.1:" + port;
        Process broker = startBroker(port, dataDir, 0);
        try {
            List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(bootstrap, "crashb-in", KafkaTestSupport.events(count));
            long good = produced.stream().filter(p -> !p.bad()).count();
            PipelineConfig config = PipelineProcess.config(bootstrap, "it-broker-crash", "crashb-in", "crashb-out", stateDir.toString());
            long start = System.nanoTime();
            try (var task = new TextStatsTask(sleepMs); var pipeline = new Pipeline(config, task);
                 var reader = new KafkaTestSupport.CommittedReader(bootstrap, "crashb-out", "crashb-in.dlq")) {
                pipeline.start();
                for (int k = 1; k <= kills; k++) {
                    int target = count * k / (kills + 1);
                    KafkaTestSupport.await(() -> reader.poll().size() >= target, Duration.ofSeconds(120), target + " records of output");
                    long killedAt = System.nanoTime();
                    kill(broker);
                    int seenAtKill = reader.poll().size();
                    assertTrue(seenAtKill < count, "the crash must come while records are in flight (produced, not yet output): "
                            + seenAtKill + " of " + count + " out");
                    broker = startBroker(port, dataDir, k);
                    double restarted = (System.nanoTime() - killedAt) / 1e9;
                    KafkaTestSupport.await(() -> reader.poll().size() > seenAtKill, Duration.ofSeconds(180),
                            "output to move again after the broker restart");
                    log.info("broker crash {} of {}: kill -9 after {} of {} records; broker serving again {} s after the kill,"
                                    + " output moving again {} s after it", k, kills, seenAtKill, count, String.format("%.1f", restarted),
                            String.format("%.1f", (System.nanoTime() - killedAt) / 1e9));
                }
                reader.readAtLeast(count, Duration.ofSeconds(120 + count / 200), Duration.ofSeconds(3));
                List<ConsumerRecord<byte[], byte[]>> output = reader.from("crashb-out");
                List<ConsumerRecord<byte[], byte[]>> dead = reader.from("crashb-in.dlq");
                log.info("broker crash run: {} records, {} kill(s), {} s: {} out, {} dead letters; pipeline {}; counters {}", count, kills,
                        String.format("%.1f", (System.nanoTime() - start) / 1e9), output.size(), dead.size(), pipeline.state(),
                        pipeline.counters());
                ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
                assertEquals(good, output.size());
                assertEquals(count - good, dead.size());
                assertEquals(KafkaStreams.State.RUNNING, pipeline.state(), "the pipeline carried on by itself");
            }
        } finally {
            kill(broker);
        }
    }

    /**
     * {@code streamformer broker --port P --data-dir D} in a new JVM, topics created on the first start; returns once it
     * prints that it is ready.
     */
    static Process startBroker(int port, Path dataDir, int restart) throws Exception {
        Path logFile = Path.of("target", "broker-crash-" + restart + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only and the serial collector: the broker JVM starts in a fraction of the time on a busy 2-core machine
        var command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        if (Boolean.getBoolean("streamformer.debugKafka")) { // the broker's transaction coordinator, leadership and log recovery
            command.add("-Dlogback.configurationFile=" + Path.of("src/test/resources/dev/streamformer/streams/broker-debug-logback.xml").toAbsolutePath());
        }
        command.addAll(List.of("dev.streamformer.app.Main", "broker", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        if (restart == 0) {
            command.addAll(List.of("--topic", "crashb-in:4", "--topic", "crashb-out:4", "--topic", "crashb-in.dlq:4"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            KafkaTestSupport.await(() -> {
                if (!process.isAlive()) throw new AssertionError("The broker process exited early; see " + logFile);
                try {
                    return Files.readString(logFile).contains("Kafka broker ready at 127.0.0.1:" + port);
                } catch (IOException e) {
                    return false;
                }
            }, BROKER_START, "the broker process to be ready (log: " + logFile + ")");
        } catch (Throwable t) {
            process.destroyForcibly();
            throw t;
        }
        return process;
    }

    /** SIGKILL: the broker gets no chance to shut down, flush or tell anyone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
