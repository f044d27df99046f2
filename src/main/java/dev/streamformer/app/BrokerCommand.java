package dev.streamformer.app;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code streamformer broker}: a single-node Apache Kafka broker (KRaft, no ZooKeeper) in this process. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start a single-node Apache Kafka broker in KRaft mode (Kafka's own server, in-process) for trying things out.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1. Default: ${DEFAULT-VALUE}.") int port;
    @Option(names = "--data-dir", description = "Where the log lives (kept between runs). Default: a temporary directory, deleted on exit.") Path dataDir;
    @Option(names = "--topic", paramLabel = "NAME[:PARTITIONS]", description = "Create this topic at start (repeatable).") List<String> topics;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDir);
        if (topics != null) {
            for (String t : topics) {
                String[] parts = t.split(":");
                broker.createTopics(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            done.countDown();
        }));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data in " + broker.dataDir() + "); Ctrl-C to stop.");
        done.await();
        return 0;
    }
}
