package dev.streamformer.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A single-node Apache Kafka broker in KRaft mode, running inside this JVM from Kafka's own server classes
 * ({@link KafkaRaftServer}, the class {@code kafka-server-start.sh} runs). No ZooKeeper, no container.
 *
 * <p>One node is both the controller (the KRaft metadata quorum of one) and the broker. Before the first
 * start its storage is formatted with Kafka's {@link Formatter} (what {@code kafka-storage.sh format}
 * does); a data directory that is already formatted is reused, so a broker can be stopped and started again
 * on the same directory and keeps its topics and committed offsets.
 *
 * <p>The settings that make a one-node cluster work: replication factor 1 and min.insync.replicas 1 for the
 * internal {@code __consumer_offsets} and {@code __transaction_state} topics (without them exactly-once
 * transactions cannot start), and {@code group.initial.rebalance.delay.ms=0} so consumer groups form at once.
 *
 * <pre>{@code
 * try (var broker = EmbeddedKafkaBroker.start(0, null)) {   // 0: any free port; null: a temporary directory
 *     broker.createTopics(4, "events", "events.enriched");
 *     String bootstrap = broker.bootstrapServers();          // "127.0.0.1:40123"
 * }
 * }</pre>
 *
 * <p>{@link #startClusterNode} starts one node of a KRaft cluster of several instead (each node broker and
 * controller, a static quorum of all of them), with replication factor 3 and {@code min.insync.replicas=2} for the
 * internal topics and as the default: what a production cluster looks like, for failover tests. Start each node in
 * its own JVM to {@code kill -9} one; they wait for each other (a quorum needs a majority) within their start timeout.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final int nodeId;
    private final short replicationFactor;
    private final int port;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final SaslPlain sasl;
    private final Tls tls;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int nodeId, short replicationFactor, int port, Path dataDir,
                                boolean deleteDataDirOnClose, SaslPlain sasl, Tls tls) {
        this.server = server;
        this.nodeId = nodeId;
        this.replicationFactor = replicationFactor;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.sasl = sasl;
        this.tls = tls;
    }

    /**
     * SASL on the client listener ({@code SASL_PLAINTEXT}, or {@code SASL_SSL} with {@link Tls}): clients must log in as
     * one of {@code users} (name → password), with SASL/PLAIN or SASL/SCRAM-SHA-256 (each user gets a SCRAM credential
     * at start). The broker talks to itself as an extra internal user with a random password over PLAIN.
     * PLAIN sends passwords in clear text: fine on 127.0.0.1 for tests and demos; add {@link Tls} on a network.
     */
    public record SaslPlain(Map<String, String> users) {
        private static final String BROKER_USER = "streamformer-broker";
        private static final String BROKER_PASSWORD = Uuid.randomUuid().toString();

        public SaslPlain {
            users = Map.copyOf(users);
        }

        /** The client settings to log in as {@code user}: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}. */
        public static Map<String, String> clientConfig(String user, String password) {
            return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + user + "\" password=\"" + password + "\";");
        }

        /** The same login with SASL/SCRAM-SHA-256 (the password never crosses the wire). */
        public static Map<String, String> scramClientConfig(String user, String password) {
            return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", SCRAM,
                    "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + user + "\" password=\"" + password + "\";");
        }

        private static final String SCRAM = "SCRAM-SHA-256";

        /** Names only: a record's default toString would print the passwords. */
        @Override
        public String toString() {
            return "SaslPlain[users=" + users.keySet() + "]";
        }

        private String serverJaasConfig() {
            var jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
                    .append(BROKER_USER).append("\" password=\"").append(BROKER_PASSWORD).append("\" user_")
                    .append(BROKER_USER).append("=\"").append(BROKER_PASSWORD).append('"');
            users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            return jaas.append(';').toString();
        }
    }

    /**
     * TLS on the client listener ({@code SSL}, or {@code SASL_SSL} with {@link SaslPlain}): the broker presents the
     * certificate in {@code keyStore} (PKCS12); its own clients trust {@code trustStore}, which must hold that
     * certificate or the CA that signed it. Clients need no certificate of their own.
     */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

        /** Client settings that trust the certificates in {@code trustStore} (PKCS12): {@code security.protocol=SSL} and {@code ssl.truststore.*}. */
        public static Map<String, String> clientConfig(Path trustStore, String password) {
            return Map.of("security.protocol", "SSL", "ssl.truststore.location", trustStore.toAbsolutePath().toString(),
                    "ssl.truststore.password", password, "ssl.truststore.type", "PKCS12");
        }

        /** Passwords hidden. */
        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
        }
    }

    /**
     * Formats the storage if needed and starts the broker; returns once it accepts clients.
     *
     * @param port    the client port on 127.0.0.1, or 0 for a free one
     * @param dataDir where logs and metadata live; {@code null} for a temporary directory deleted on close
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, null);
    }

    /**
     * Same, with SASL/PLAIN authentication on the client listener.
     *
     * @param sasl the users who may log in; null for a PLAINTEXT listener without authentication
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, SaslPlain sasl) {
        return start(port, dataDir, sasl, null);
    }

    /**
     * Same, with SASL and/or TLS on the client listener.
     *
     * @param sasl the users who may log in; null for no authentication
     * @param tls  the broker's certificate; null for a listener without TLS
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, SaslPlain sasl, Tls tls) {
        int controllerPort = freePort();
        return start(SINGLE_NODE_ID, port == 0 ? freePort() : port, SINGLE_NODE_ID + "@127.0.0.1:" + controllerPort, controllerPort,
                Uuid.randomUuid().toString(), (short) 1, dataDir, sasl, tls, Duration.ofSeconds(30));
    }

    /** One node of a cluster: its id, client port and controller port, all on 127.0.0.1. */
    public record ClusterNode(int nodeId, int clientPort, int controllerPort) {

        /** {@code n} nodes with ids 1..n on ports that were free a moment ago. */
        public static List<ClusterNode> onFreePorts(int n) {
            return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(id -> new ClusterNode(id, freePort(), freePort())).toList();
        }

        /** {@code bootstrap.servers} naming every node. */
        public static String bootstrapServers(List<ClusterNode> nodes) {
            return String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.clientPort).toList());
        }
    }

    /**
     * Formats the storage if needed and starts node {@code nodeId} of {@code nodes} (a static KRaft quorum of all of
     * them, every node a broker too); returns once the cluster has elected a controller and this broker serves
     * clients, which needs a majority of the nodes started within {@code timeout}. Replication factor 3 (fewer with
     * fewer nodes) and {@code min.insync.replicas} 2 for the internal topics and as the default for new topics.
     *
     * @param clusterId the same for every node, e.g. {@code Uuid.randomUuid().toString()}
     * @param dataDir   this node's own directory; reused when already formatted (a restart after a crash)
     */
    public static EmbeddedKafkaBroker startClusterNode(int nodeId, List<ClusterNode> nodes, String clusterId, Path dataDir,
                                                       Duration timeout) {
        ClusterNode self = nodes.stream().filter(n -> n.nodeId == nodeId).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Node " + nodeId + " is not one of the cluster's nodes " + nodes + ": pass its own id."));
        String voters = String.join(",", nodes.stream().map(n -> n.nodeId + "@127.0.0.1:" + n.controllerPort).toList());
        return start(nodeId, self.clientPort, voters, self.controllerPort, clusterId, (short) Math.min(3, nodes.size()),
                dataDir, null, null, timeout);
    }

    private static EmbeddedKafkaBroker start(int nodeId, int clientPort, String voters, int controllerPort, String clusterId,
                                             short replicationFactor, Path dataDir, SaslPlain sasl, Tls tls, Duration timeout) {
        long startNanos = System.nanoTime();
        boolean temporary = dataDir == null;
        Path dir = temporary ? createTempDir() : dataDir.toAbsolutePath();
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(dir, nodeId, voters, clientPort, controllerPort, replicationFactor, sasl, tls));
        boolean restart = formatIfNeeded(config, dir, nodeId, clusterId);
        if (restart && voters.equals(nodeId + "@127.0.0.1:" + controllerPort)) {
            fenceThePreviousIncarnation(dir, nodeId, controllerPort);
        }

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IllegalStateException("Could not start the embedded Kafka broker on port " + clientPort
                    + " with data in " + dir + ": " + e.getMessage() + " (is the port or directory in use?)", e);
        }
        var broker = new EmbeddedKafkaBroker(server, nodeId, replicationFactor, clientPort, dir, temporary, sasl, tls);
        broker.awaitReady(timeout);
        if (sasl != null) {
            broker.addScramCredentials(Duration.ofSeconds(30));
        }
        log.info("Kafka broker (KRaft, node {}) ready at {} in {} ms, data in {}", nodeId, broker.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dir);
        return broker;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The KRaft node id: 1 for a single broker, as given for a cluster node. */
    public int nodeId() {
        return nodeId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates topics with replication factor 1 (3 on a cluster of three or more), and returns once every partition has a leader (producing to a
     * partition whose leader is not yet known can upset an idempotent producer's sequence numbers). Topics that
     * already exist are left as they are.
     */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(adminProperties())) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, replicationFactor))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
            awaitLeaders(admin, List.of(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The broker did not create topics within 30 s", e);
        }
    }

    /**
     * Waits until every partition's leader serves requests. Metadata can name a leader a moment before that replica
     * has opened its log; producing then bounces the first batch (NOT_LEADER_OR_FOLLOWER) while later ones land, and
     * an idempotent producer is stuck on the out-of-order first batch. Listing offsets asks the leader replica itself.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                var partitions = new HashMap<TopicPartition, OffsetSpec>();
                admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // not ready yet (unknown topic, no leader, leader not serving): ask again
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the partitions of " + topics + " have no serving leader after 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Same as {@link #createTopics(int, String...)}; reads like the brief: {@code createTopics("events", 4)}. */
    public void createTopics(String name, int partitions) {
        createTopics(partitions, name);
    }

    /** Stops the broker (controlled shutdown), waits for it, and deletes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        if (deleteDataDirOnClose) {
            deleteRecursively(dataDir);
        }
        log.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private static Properties serverProperties(Path dir, int nodeId, String voters, int clientPort, int controllerPort,
                                               short replicationFactor, SaslPlain sasl, Tls tls) {
        String replicas = Integer.toString(replicationFactor);
        String minIsr = Integer.toString(Math.min(2, replicationFactor));
        boolean cluster = !voters.equals(nodeId + "@127.0.0.1:" + controllerPort);
        String clientListener = (sasl == null ? "" : "SASL_") + (tls == null ? "PLAINTEXT" : "SSL");
        var props = new Properties();
        props.putAll(Map.ofEntries(
                // each process is controller (a voter of the KRaft quorum: of one, or of every node) and broker
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(nodeId)),
                Map.entry("controller.quorum.voters", voters),
                Map.entry("listeners", clientListener + "://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", clientListener + "://127.0.0.1:" + clientPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("inter.broker.listener.name", clientListener),
                Map.entry("listener.security.protocol.map", clientListener + ":" + clientListener + "," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("log.dirs", dir.resolve("logs").toString()),
                Map.entry("metadata.log.dir", dir.resolve("metadata").toString()),
                // a single broker can only hold one replica of anything; a cluster keeps 3, and acks=all needs 2 of them
                Map.entry("offsets.topic.replication.factor", replicas),
                Map.entry("transaction.state.log.replication.factor", replicas),
                Map.entry("transaction.state.log.min.isr", minIsr),
                Map.entry("share.coordinator.state.topic.replication.factor", replicas),
                Map.entry("share.coordinator.state.topic.min.isr", minIsr),
                Map.entry("default.replication.factor", replicas),
                Map.entry("min.insync.replicas", minIsr),
                // fewer internal partitions: a laptop-sized cluster starts its coordinators faster
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                // groups form at once instead of waiting 3 s for more members
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        // a producer that died mid-transaction (kill -9 of a pipeline that does not come back) holds back every
        // read_committed reader of its partitions until the transaction times out (Kafka Streams: 10 s) and the
        // broker's next sweep aborts it: sweep every second instead of every 10 s
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        if (cluster) {
            // a node that died is fenced (its partitions get new leaders) after 4 s without a heartbeat instead of 9 s,
            // well inside Kafka Streams' 10 s transaction timeout
            props.put("broker.session.timeout.ms", "4000");
            props.put("broker.heartbeat.interval.ms", "1000");
        }
        String listener = "listener.name." + clientListener.toLowerCase(java.util.Locale.ROOT) + ".";
        if (sasl != null) {
            props.put("sasl.enabled.mechanisms", "PLAIN," + SaslPlain.SCRAM);
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            props.put(listener + "plain.sasl.jaas.config", sasl.serverJaasConfig());
            props.put(listener + "scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        if (tls != null) {
            props.put("ssl.keystore.location", tls.keyStore().toAbsolutePath().toString());
            props.put("ssl.keystore.password", tls.keyStorePassword());
            props.put("ssl.keystore.type", "PKCS12");
            // the broker's own clients (inter-broker, the admin calls here) check its certificate like any client
            props.put("ssl.truststore.location", tls.trustStore().toAbsolutePath().toString());
            props.put("ssl.truststore.password", tls.trustStorePassword());
            props.put("ssl.truststore.type", "PKCS12");
        }
        return props;
    }

    /**
     * Before a single node starts again on its data: its controller alone, until it has fenced the node's previous
     * incarnation; on a restart after a {@code kill -9} that takes a second or two.
     *
     * <p>Why: the metadata log still says that the previous broker is registered, unfenced and leads every partition. A
     * node started directly would serve on that image until its controller fences the old registration when its session
     * times out ({@code broker.session.timeout.ms}, 9 s), and only then register and elect itself again. In that window
     * its transaction coordinator loads {@code __transaction_state} and completes the transactions the crash left
     * half-done (those in PrepareCommit or PrepareAbort, and those past their timeout), but cannot deliver the markers
     * before the fence; then, finding no leader for the partitions, Kafka's marker sender takes them for deleted topics,
     * drops the markers and completes the transactions anyway ("Couldn't find leader endpoint for partitions … likely
     * deleted already and hence can be skipped"). Those partitions keep an open transaction for ever: their last stable
     * offset stops, read_committed readers and Kafka Streams' restoration wait for good (BrokerCrashIT stalled after the
     * 2nd or 3rd crash in a row). Started after the fence, the broker's first image has no leaders, so its coordinator
     * loads only once the node is elected again, and its markers find their partitions. A cluster needs none of this: its
     * other controllers fence a dead node while it is down.
     */
    private static void fenceThePreviousIncarnation(Path dir, int nodeId, int controllerPort) {
        long startNanos = System.nanoTime();
        var props = new Properties();
        props.putAll(Map.of(
                "process.roles", "controller",
                "node.id", Integer.toString(nodeId),
                "controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort,
                "listeners", CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort,
                "controller.listener.names", CONTROLLER_LISTENER,
                "listener.security.protocol.map", CONTROLLER_LISTENER + ":PLAINTEXT",
                "log.dirs", dir.resolve("metadata").toString(),
                "metadata.log.dir", dir.resolve("metadata").toString(),
                // no broker is alive to miss a heartbeat: the dead one's session may end at once
                "broker.session.timeout.ms", "1000",
                "broker.heartbeat.interval.ms", "500"));
        var controller = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        try {
            controller.startup();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(controllerGauge("FencedBrokerCount") >= 1 && controllerGauge("ActiveBrokerCount") == 0)) {
                if (System.nanoTime() > deadline) {
                    log.warn("The controller did not fence the broker's previous incarnation within 30 s; starting anyway");
                    break;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting the broker in " + dir, e);
        } finally {
            controller.shutdown();
            controller.awaitShutdown();
        }
        log.info("Previous broker incarnation fenced in {} ms before the restart on {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dir);
    }

    /** A gauge of this JVM's KRaft controller, read over JMX ({@code kafka.controller:type=KafkaController,name=...}); -1 while it has none. */
    private static long controllerGauge(String name) {
        try {
            Object value = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new javax.management.ObjectName("kafka.controller:type=KafkaController,name=" + name), "Value");
            return value instanceof Number n ? n.longValue() : -1;
        } catch (javax.management.JMException e) {
            return -1;
        }
    }

    /**
     * What {@code kafka-storage.sh format -t <random id> -c server.properties --ignore-formatted} does.
     *
     * @return true when the directory was formatted already (a restart)
     */
    private static boolean formatIfNeeded(KafkaConfig config, Path dir, int nodeId, String clusterId) {
        if (Files.exists(dir.resolve("metadata").resolve("meta.properties"))) {
            return true;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(nodeId)
                    .setDirectories(List.of(dir.resolve("logs").toString(), dir.resolve("metadata").toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        return false;
    }

    /** The broker answers metadata requests once it has registered with its controller and unfenced itself. */
    private void awaitReady(Duration timeout) {
        try (Admin admin = Admin.create(adminProperties())) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The embedded Kafka broker did not become ready within " + timeout.toSeconds() + " s", e);
        }
    }

    private Properties adminProperties() {
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putAll(clientSecurity(sasl == null ? null : SaslPlain.clientConfig(SaslPlain.BROKER_USER, SaslPlain.BROKER_PASSWORD)));
        return props;
    }

    /**
     * The settings a client needs on this broker's listener: {@code login} (a SASL client config such as
     * {@link SaslPlain#clientConfig}, or null) combined with trusting this broker's certificate when it has TLS.
     */
    public Map<String, String> clientSecurity(Map<String, String> login) {
        var config = new HashMap<String, String>();
        if (login != null) config.putAll(login);
        if (tls != null) {
            config.putAll(Tls.clientConfig(tls.trustStore(), tls.trustStorePassword()));
            config.put("security.protocol", login == null ? "SSL" : "SASL_SSL");
        }
        return config;
    }

    /** Gives every SASL user a SCRAM-SHA-256 credential (KRaft keeps them in the metadata log) and waits until it works. */
    private void addScramCredentials(Duration timeout) {
        try (Admin admin = Admin.create(adminProperties())) {
            var upserts = new java.util.ArrayList<org.apache.kafka.clients.admin.UserScramCredentialAlteration>();
            sasl.users().forEach((user, password) -> upserts.add(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(user,
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096),
                    password)));
            admin.alterUserScramCredentials(upserts).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Could not add the SCRAM credentials of " + sasl.users().keySet() + ": " + e.getMessage(), e);
        }
        if (sasl.users().isEmpty()) return;
        // the controller has them; the broker applies the metadata a moment later: log in once as the first user
        var first = sasl.users().entrySet().iterator().next();
        var props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.putAll(clientSecurity(SaslPlain.scramClientConfig(first.getKey(), first.getValue())));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("SCRAM logins did not work within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for SCRAM credentials", e);
            }
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port on 127.0.0.1", e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("streamformer-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the broker's temporary directory {}: {}", dir, e.getMessage());
        }
    }
}
