package dev.streamformer.streams;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a KRaft cluster in its own JVM, for {@link ClusterFailoverIT}: {@code <nodeId> <clusterId> <dataDir>
 * <id:clientPort:controllerPort,...>}. Prints {@code Kafka cluster node N ready} and runs until killed.
 */
final class ClusterNodeMain {

    private ClusterNodeMain() {}

    public static void main(String[] args) throws InterruptedException {
        QuietKafkaLogs.apply();
        var nodes = new ArrayList<EmbeddedKafkaBroker.ClusterNode>();
        for (String node : args[3].split(",")) {
            String[] f = node.split(":");
            nodes.add(new EmbeddedKafkaBroker.ClusterNode(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        int nodeId = Integer.parseInt(args[0]);
        EmbeddedKafkaBroker.startClusterNode(nodeId, List.copyOf(nodes), args[1], Path.of(args[2]), Duration.ofSeconds(120));
        System.out.println("Kafka cluster node " + nodeId + " ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The node list as the last argument wants it. */
    static String spec(List<EmbeddedKafkaBroker.ClusterNode> nodes) {
        return String.join(",", nodes.stream().map(n -> n.nodeId() + ":" + n.clientPort() + ":" + n.controllerPort()).toList());
    }
}
