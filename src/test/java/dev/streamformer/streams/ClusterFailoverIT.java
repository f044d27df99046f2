package dev.streamformer.streams;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster as in production: three KRaft nodes (each broker and controller), each in its own JVM, replication factor
 * 3 and {@code min.insync.replicas=2} for every topic (the pipeline's own, Kafka Streams' changelogs through
 * {@code replication.factor=3}, and the offsets and transaction-state topics). Mid-stream, the node that coordinates the
 * pipeline's transactions (leader of its transactional id's {@code __transaction_state} partition, and of about a
 * third of all partitions) is killed with SIGKILL and stays dead until the pipeline has moved on without it: its partitions (input, output, changelog, transaction state and
 * consumer offsets alike) fail over to the two survivors, which still make the in-sync minimum, and the pipeline must
 * carry on by itself with every good record exactly once in the read_committed output and every bad one in the
 * dead-letter topic. Then the killed node is started again on its data directory: it rejoins, and every partition
 * (the transaction state included) is back to three in-sync replicas while the pipeline keeps running, still exactly once.
 *
 * <p>Size: {@code -Dstreamformer.cluster.records} (default 900; about 60 s in all on a 2-core machine, 19 s of it starting the three JVMs). Node logs: {@code target/cluster-node-*.log}.
 */
class ClusterFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverIT.class);

    @Test
    void killMinus9TheTransactionCoordinatorAndInputLeaderMidStreamNothingLostNothingDoubled(@TempDir Path dataDir, @TempDir Path stateDir)
            throws Exception {
        QuietKafkaLogs.apply();
        int count = Integer.getInteger("streamformer.cluster.records", 900);
        long started = System.nanoTime();
        List<EmbeddedKafkaBroker.ClusterNode> nodes = EmbeddedKafkaBroker.ClusterNode.onFreePorts(3);
        String bootstrap = EmbeddedKafkaBroker.ClusterNode.bootstrapServers(nodes);
        String clusterId = Uuid.randomUuid().toString();
        var processes = new ArrayList<Process>();
        try {
            for (var node : nodes) {
                processes.add(startNode(node.nodeId(), nodes, clusterId, dataDir.resolve("node-" + node.nodeId())));
            }
            for (int i = 0; i < nodes.size(); i++) {
                awaitReady(processes.get(i), nodes.get(i).nodeId());
            }
            double clusterUp = (System.nanoTime() - started) / 1e9;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("cluster-in", 4, (short) 3), new NewTopic("cluster-out", 4, (short) 3),
                        new NewTopic("cluster-in.dlq", 4, (short) 3))).all().get(60, TimeUnit.SECONDS);
                KafkaTestSupport.await(() -> leader(admin, "cluster-in", 0) >= 0, Duration.ofSeconds(60), "input partitions to have leaders");
                List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(bootstrap, "cluster-in", KafkaTestSupport.events(count));
                long good = produced.stream().filter(p -> !p.bad()).count();

                PipelineConfig config = PipelineConfig.builder()
                        .inputTopic("cluster-in").outputTopic("cluster-out")
                        .batching(new PipelineConfig.Batching(4096, 16, Duration.ofMillis(300)))
                        .streamsConfig("bootstrap.servers", bootstrap)
                        .streamsConfig("application.id", "it-cluster")
                        .streamsConfig("state.dir", stateDir.toString())
                        .streamsConfig("replication.factor", 3)
                        .build();
                try (var task = new TextStatsTask(60); var pipeline = new Pipeline(config, task);
                     var reader = new KafkaTestSupport.CommittedReader(bootstrap, "cluster-out", "cluster-in.dlq")) {
                    pipeline.start();
                    KafkaTestSupport.await(() -> reader.poll().size() >= count / 3, Duration.ofSeconds(120), count / 3 + " records of output");
                    assertEquals(3, admin.describeTopics(List.of(changelog())).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get(changelog()).partitions().getFirst().replicas().size(), "Kafka Streams' changelog has 3 replicas");
                    // the victim: the transaction coordinator of the pipeline's producer (its transactional id's partition of
                    // __transaction_state has its leader there), so the kill takes an open transaction's coordinator with it
                    String transactionalId = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                            .map(t -> t.transactionalId()).filter(id -> id.startsWith("it-cluster-")).findFirst()
                            .orElseThrow(() -> new AssertionError("the pipeline has a transactional producer"));
                    int victim = admin.describeTransactions(List.of(transactionalId)).all().get(30, TimeUnit.SECONDS)
                            .get(transactionalId).coordinatorId();
                    int txLeaders = ledBy(admin, "__transaction_state", victim);
                    int inputLeaders = ledBy(admin, "cluster-in", victim);
                    assertTrue(inputLeaders > 0, "the victim also leads an input partition (4 partitions over 3 nodes)");
                    long killedAt = System.nanoTime();
                    kill(processes.get(victim - 1));
                    int seenAtKill = reader.poll().size();
                    assertTrue(seenAtKill < count, "the kill must come while records are in flight (produced, not yet output): "
                            + seenAtKill + " of " + count + " out");
                    KafkaTestSupport.await(() -> coordinator(admin, transactionalId) >= 0 && coordinator(admin, transactionalId) != victim,
                            Duration.ofSeconds(60), "the transaction coordinator to fail over");
                    double failover = (System.nanoTime() - killedAt) / 1e9;
                    KafkaTestSupport.await(() -> reader.poll().size() > seenAtKill, Duration.ofSeconds(120),
                            "output to move again after the kill");
                    double moving = (System.nanoTime() - killedAt) / 1e9;
                    for (int p = 0; p < 4; p++) assertNotEquals(victim, leader(admin, "cluster-in", p), "cluster-in-" + p + " failed over");

                    // the killed node comes back on its own data directory: it rejoins, catches up, and every partition is
                    // in sync on all three replicas again, while the pipeline keeps running
                    long restartedAt = System.nanoTime();
                    processes.set(victim - 1, startNode(victim, nodes, clusterId, dataDir.resolve("node-" + victim)));
                    awaitReady(processes.get(victim - 1), victim);
                    List<String> replicated = List.of("cluster-in", "cluster-out", "cluster-in.dlq", changelog(), "__transaction_state");
                    KafkaTestSupport.await(() -> fullyInSync(admin, replicated), Duration.ofSeconds(120),
                            "every partition of " + replicated + " to have 3 in-sync replicas again");
                    double rejoined = (System.nanoTime() - restartedAt) / 1e9;
                    reader.readAtLeast(count, Duration.ofSeconds(120), Duration.ofSeconds(3));
                    List<ConsumerRecord<byte[], byte[]>> output = reader.from("cluster-out");
                    List<ConsumerRecord<byte[], byte[]>> dead = reader.from("cluster-in.dlq");
                    log.info("3-node cluster up in {} s; kill -9 of node {} (coordinator of {}, leader of {} of 4 transaction-state"
                                    + " and {} of 4 input partitions) after {} of {} records; new coordinator in {} s, output moving again {} s"
                                    + " after the kill; {} out, {} dead letters; {} s in all; counters {}", String.format("%.1f", clusterUp),
                            victim, transactionalId, txLeaders, inputLeaders, seenAtKill, count, String.format("%.1f", failover), String.format("%.1f", moving),
                            output.size(), dead.size(), String.format("%.1f", (System.nanoTime() - started) / 1e9), pipeline.counters());
                    log.info("node {} restarted on its data directory: ready and all partitions back to 3 in-sync replicas {} s after"
                            + " its start", victim, String.format("%.1f", rejoined));
                    ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
                    assertEquals(good, output.size());
                    assertEquals(count - good, dead.size());
                    assertEquals(KafkaStreams.State.RUNNING, pipeline.state(), "the pipeline carried on by itself");
                    assertTrue(fullyInSync(admin, replicated), "the restarted node stays in sync");
                }
            }
        } finally {
            for (Process p : processes) kill(p);
        }
    }

    private static String changelog() {
        return "it-cluster-" + BatchInferenceProcessor.PENDING_STORE + "-changelog";
    }

    /** The leader's node id, or -1 while there is none (or the cluster cannot say). */
    private static int leader(Admin admin, String topic, int partition) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
            var leader = d.partitions().get(partition).leader();
            return leader == null || leader.isEmpty() ? -1 : leader.id();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Whether every partition of {@code topics} has all 3 replicas in sync. */
    private static boolean fullyInSync(Admin admin, List<String> topics) {
        try {
            return admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream()).allMatch(p -> p.isr().size() == 3);
        } catch (Exception e) {
            return false;
        }
    }

    /** The transaction coordinator's node id, or -1 while the cluster cannot say. */
    private static int coordinator(Admin admin, String transactionalId) {
        try {
            return admin.describeTransactions(List.of(transactionalId)).all().get(10, TimeUnit.SECONDS).get(transactionalId).coordinatorId();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int ledBy(Admin admin, String topic, int node) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        return (int) d.partitions().stream().map(TopicPartitionInfo::leader).filter(l -> l != null && l.id() == node).count();
    }

    private static Process startNode(int nodeId, List<EmbeddedKafkaBroker.ClusterNode> nodes, String clusterId, Path dir) throws IOException {
        Path logFile = logFile(nodeId);
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only and the serial collector: the JVMs start in a fraction of the time on a busy 2-core machine
        var command = List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ClusterNodeMain.class.getName(), Integer.toString(nodeId), clusterId, dir.toString(), ClusterNodeMain.spec(nodes));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private static Path logFile(int nodeId) {
        return Path.of("target", "cluster-node-" + nodeId + ".log");
    }

    private static void awaitReady(Process process, int nodeId) throws InterruptedException {
        Path logFile = logFile(nodeId);
        KafkaTestSupport.await(() -> {
            if (!process.isAlive()) throw new AssertionError("Cluster node " + nodeId + " exited early; see " + logFile);
            try {
                return Files.readString(logFile).contains("Kafka cluster node " + nodeId + " ready");
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(150), "cluster node " + nodeId + " to be ready (log: " + logFile + ")");
    }

    /** SIGKILL: no controlled shutdown, no flush, no leadership handed over. */
    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
