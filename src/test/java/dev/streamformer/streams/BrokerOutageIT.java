package dev.streamformer.streams;

import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker JVM of {@link BrokerCrashIT}, killed and kept away for longer than the clients' timeouts. */
class BrokerOutageIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutageIT.class);

    /**
     * A broker that stays away for longer than every client timeout that could give up on it: killed with SIGKILL
     * mid-stream and started again only after {@value #OUTAGE_SECONDS} s, three times the producer's
     * {@code delivery.timeout.ms}, {@code max.block.ms} and {@code transaction.timeout.ms} (5 s each here, so that the
     * test is short; Kafka's defaults are 120 s, 60 s and, under Kafka Streams, 10 s). What is defined: shorter than
     * Kafka Streams' {@code task.timeout.ms} (300 s by default), the pipeline waits: it stays {@code RUNNING} or
     * {@code REBALANCING} (while {@code /health} says {@code KAFKA_UNREACHABLE}, 503), and once the broker is back it resumes by itself,
     * nothing lost, nothing doubled. When the producer's delivery timeout expires during the outage, Kafka Streams gives up
     * on the open transaction and its stream thread dies; the pipeline sees that Kafka does not answer and replaces the
     * thread instead of stopping, and the new thread waits for Kafka and carries on from the last commit.
     */
    @Test
    void aBrokerDownLongerThanTheClientTimeoutsThePipelineWaitsAndResumesExactlyOnce(@TempDir Path dataDir,
                                                                                   @TempDir Path stateDir) throws Exception {
        QuietKafkaLogs.apply();
        int count = Integer.getInteger("streamformer.brokerOutage.records", 2_000);
        int port = KafkaTestSupport.freePort();
        String bootstrap = "127.0.0.1:" + port;
        Process broker = BrokerCrashIT.startBroker(port, dataDir, 0);
        try {
            List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(bootstrap, "crashb-in", KafkaTestSupport.events(count));
            long good = produced.stream().filter(p -> !p.bad()).count();
            PipelineConfig config = PipelineConfig.builder()
                    .inputTopic("crashb-in").outputTopic("crashb-out")
                    .batching(new PipelineConfig.Batching(4096, 16, Duration.ofMillis(300)))
                    .streamsConfig("bootstrap.servers", bootstrap)
                    .streamsConfig("application.id", "it-broker-outage")
                    .streamsConfig("state.dir", stateDir.toString())
                    // the replaced thread's predecessor cannot leave the group while Kafka is away: it is dropped after
                    // session.timeout.ms (45 s by default), the group's wait before the new thread gets the partitions
                    .streamsConfig("session.timeout.ms", 6000)
                    .streamsConfig("heartbeat.interval.ms", 1000)
                    .streamsConfig(org.apache.kafka.streams.StreamsConfig.producerPrefix("delivery.timeout.ms"), (int) CLIENT_TIMEOUT.toMillis())
                    .streamsConfig(org.apache.kafka.streams.StreamsConfig.producerPrefix("request.timeout.ms"), 3_000)
                    .streamsConfig(org.apache.kafka.streams.StreamsConfig.producerPrefix("max.block.ms"), (int) CLIENT_TIMEOUT.toMillis())
                    .streamsConfig(org.apache.kafka.streams.StreamsConfig.producerPrefix("transaction.timeout.ms"), (int) CLIENT_TIMEOUT.toMillis())
                    .build();
            long start = System.nanoTime();
            try (var task = new TextStatsTask(Math.max(1, 60_000L / count)); var pipeline = new Pipeline(config, task);
                 var reader = new KafkaTestSupport.CommittedReader(bootstrap, "crashb-out", "crashb-in.dlq")) {
                pipeline.start();
                KafkaTestSupport.await(() -> reader.poll().size() >= count / 3, Duration.ofSeconds(120), count / 3 + " records of output");
                long killedAt = System.nanoTime();
                BrokerCrashIT.kill(broker);
                int seenAtKill = reader.poll().size();
                assertTrue(seenAtKill < count, "the outage must start while records are in flight: " + seenAtKill + " of " + count + " out");
                var states = java.util.EnumSet.noneOf(KafkaStreams.State.class);
                String unreachable = null;   // what /health reports as KAFKA_UNREACHABLE
                while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS)) {
                    states.add(pipeline.state());
                    if (unreachable == null) unreachable = pipeline.kafkaUnreachable();
                    Thread.sleep(100);
                }
                assertTrue(unreachable != null, "the pipeline reports that Kafka does not answer while the broker is away");
                log.info("broker away for {} s: pipeline states meanwhile {}", OUTAGE_SECONDS, states);
                assertTrue(java.util.EnumSet.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING).containsAll(states),
                        "the pipeline waits while Kafka is away (RUNNING or REBALANCING): " + states);
                broker = BrokerCrashIT.startBroker(port, dataDir, 1);
                double back = (System.nanoTime() - killedAt) / 1e9;
                KafkaTestSupport.await(() -> reader.poll().size() > seenAtKill, Duration.ofSeconds(120), "output to move again after the outage");
                KafkaTestSupport.await(() -> pipeline.kafkaUnreachable() == null, Duration.ofSeconds(60), "the pipeline to report Kafka reachable again");
                double moving = (System.nanoTime() - killedAt) / 1e9;
                reader.readAtLeast(count, Duration.ofSeconds(120), Duration.ofSeconds(3));
                List<ConsumerRecord<byte[], byte[]>> output = reader.from("crashb-out");
                List<ConsumerRecord<byte[], byte[]>> dead = reader.from("crashb-in.dlq");
                log.info("broker outage run: {} records, killed after {} out, broker serving again {} s after the kill, output moving {} s"
                                + " after it, whole run {} s: {} out, {} dead letters; pipeline {}", count, seenAtKill, String.format("%.1f", back),
                        String.format("%.1f", moving), String.format("%.1f", (System.nanoTime() - start) / 1e9), output.size(), dead.size(),
                        pipeline.state());
                ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
                assertEquals(good, output.size());
                assertEquals(count - good, dead.size());
                assertEquals(KafkaStreams.State.RUNNING, pipeline.state(), "the pipeline resumed by itself");
            }
        } finally {
            BrokerCrashIT.kill(broker);
        }
    }

    /** The producer's delivery, blocking and transaction timeouts in the outage test, and how long the broker stays away. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final int OUTAGE_SECONDS = 15;

}
