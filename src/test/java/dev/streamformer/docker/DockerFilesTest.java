package dev.streamformer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Structure checks for docker/: no Docker engine runs here, so the files are read as data. */
class DockerFilesTest {
    static final List<String> ENTRYPOINT = List.of("java", "-XX:+UseParallelGC", "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000", "--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "-jar", "/app/streamformer.jar");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    record Instruction(String keyword, String args) {}

    /** Dockerfile instructions: comments dropped, backslash continuations joined. */
    static List<Instruction> instructions(Path dockerfile) throws IOException {
        var out = new ArrayList<Instruction>();
        var current = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) continue;
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) continue;
            String[] parts = text.split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }

    /** The instructions of the last stage (after the last FROM): what the image runs with. */
    static List<Instruction> finalStage(List<Instruction> all) {
        int from = 0;
        for (int i = 0; i < all.size(); i++) if (all.get(i).keyword().equals("FROM")) from = i;
        return all.subList(from, all.size());
    }

    static Instruction last(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + keyword + " instruction"));
    }

    private static Path dockerDir() {
        Path dir = Path.of("docker");
        assertTrue(Files.isDirectory(dir), "run the tests from the repository root: docker/ not found in " + Path.of("").toAbsolutePath());
        return dir;
    }

    private static void checkImageFile(Path dockerfile, String baseImagePrefix) throws IOException {
        var stage = finalStage(instructions(dockerfile));
        assertTrue(stage.getFirst().args().startsWith(baseImagePrefix), dockerfile + " FROM " + stage.getFirst().args());
        String user = last(stage, "USER").args();
        assertFalse(user.matches("(root|0)(:.*)?"), dockerfile + " must run as a non-root user, not " + user);
        assertEquals("10001:10001", user, "the same uid/gid as the Jib image");
        assertTrue(stage.stream().anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("useradd")
                && i.args().contains("--uid 10001")), "the user exists in /etc/passwd");
        assertEquals(ENTRYPOINT, JSON.readValue(last(stage, "ENTRYPOINT").args(), List.class),
                "exec-form ENTRYPOINT with the Vector API and native access flags");
        assertTrue(last(stage, "VOLUME").args().contains("/models"));
        assertEquals("8080", last(stage, "EXPOSE").args());
        assertTrue(stage.stream().anyMatch(i -> i.keyword().equals("ENV") && i.args().equals("STREAMFORMER_HOME=/models")));
        assertTrue(stage.stream().anyMatch(i -> i.keyword().equals("COPY")
                && i.args().equals("target/streamformer.jar /app/streamformer.jar")), "copies the shaded jar");
        int userAt = stage.indexOf(last(stage, "USER"));
        int entrypointAt = stage.indexOf(last(stage, "ENTRYPOINT"));
        assertTrue(userAt < entrypointAt && stage.subList(userAt, stage.size()).stream().noneMatch(i -> i.keyword().equals("RUN")),
                "USER comes after every RUN and before ENTRYPOINT");
    }

    @Test
    void dockerfileRunsTheShadedJarAsANonRootUserOnAJre25() throws IOException {
        checkImageFile(dockerDir().resolve("Dockerfile"), "eclipse-temurin:25-jre");
    }

    @Test
    void gpuDockerfileHasCudaAndTheSameEntrypoint() throws IOException {
        Path gpu = dockerDir().resolve("Dockerfile.gpu");
        checkImageFile(gpu, "nvidia/cuda:12.");
        assertTrue(instructions(gpu).stream().anyMatch(i -> i.keyword().equals("COPY")
                && i.args().startsWith("--from=jre /opt/java/openjdk")), "the JRE comes from the Temurin 25 image");
    }

    @Test
    void composeRunsAKraftBrokerAndStreamformer() throws Exception {
        JsonNode compose = YAML.readTree(dockerDir().resolve("compose.yaml").toFile());
        JsonNode services = compose.path("services");
        JsonNode broker = services.path("broker");
        String kafkaVersion = pomProperty("kafka.version");
        assertEquals("apache/kafka:" + kafkaVersion, broker.path("image").asText(), "the broker runs the Kafka we build against");

        JsonNode env = broker.path("environment");
        assertEquals(List.of("broker", "controller"), List.of(env.path("KAFKA_PROCESS_ROLES").asText().split(",")));
        String nodeId = env.path("KAFKA_NODE_ID").asText();
        var voter = Pattern.compile("(\\d+)@([\\w.-]+):(\\d+)").matcher(env.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText());
        assertTrue(voter.matches(), "one controller voter");
        assertEquals(nodeId, voter.group(1), "the voter is this node");
        String controllerListener = env.path("KAFKA_CONTROLLER_LISTENER_NAMES").asText();
        Map<String, String> listeners = listeners(env.path("KAFKA_LISTENERS").asText());
        assertEquals(voter.group(3), listeners.get(controllerListener), "the voter port is the controller listener's");
        Map<String, String> protocols = new HashMap<>();
        for (String p : env.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText().split(",")) protocols.put(p.split(":")[0], p.split(":")[1]);
        assertTrue(protocols.keySet().containsAll(listeners.keySet()), "every listener has a security protocol");
        assertFalse(listeners(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).containsKey(controllerListener),
                "the controller listener is not advertised");
        // single-node settings from notes.md: without them exactly-once transactions cannot start
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
            assertEquals(1, env.path(key).asInt(), key);
        }
        assertEquals(0, env.path("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS").asInt(-1));
        assertTrue(broker.path("healthcheck").path("test").isArray());

        JsonNode app = services.path("streamformer");
        assertEquals("docker/Dockerfile", app.path("build").path("dockerfile").asText());
        assertTrue(Files.isRegularFile(dockerDir().resolve(app.path("build").path("context").asText()).resolve("docker/Dockerfile")),
                "the build context is the repository root");
        List<String> command = JSON.convertValue(app.path("command"), List.class);
        assertEquals(List.of("run", "--topology", "/topology/enrich.yaml"), command.subList(0, 3));
        assertTrue(command.contains("--http-allow-remote") && command.get(command.indexOf("--http-host") + 1).equals("0.0.0.0"),
                "the status server listens beyond loopback, allowed explicitly: " + command);
        int bootstrap = command.indexOf("--bootstrap-servers");
        assertTrue(bootstrap > 0 && command.get(bootstrap + 1).equals("broker:" + listeners.get("PLAINTEXT")),
                "streamformer reaches the broker's internal listener");
        List<String> volumes = JSON.convertValue(app.path("volumes"), List.class);
        assertTrue(volumes.contains("models:/models"), "models live on a named volume");
        assertTrue(volumes.contains("../topology:/topology:ro"), "topology files are mounted read-only");
        assertTrue(compose.path("volumes").has("models"));
        assertEquals("service_healthy", app.path("depends_on").path("broker").path("condition").asText());
        assertEquals("service_completed_successfully", app.path("depends_on").path("topics").path("condition").asText());
        String health = String.join(" ", JSON.convertValue(app.path("healthcheck").path("test"), List.class));
        assertTrue(health.contains("/health") && health.contains("8080"), "the healthcheck asks /health: " + health);
        assertTrue(JSON.convertValue(app.path("ports"), List.class).contains("8080:8080"));

        String createTopics = services.path("topics").path("command").get(0).asText();
        for (String topic : List.of("events", "events.enriched", "events.dlq")) assertTrue(createTopics.contains(topic), topic);
    }

    @Test
    void gpuComposeReservesAGpuAndRunsOnCuda() throws Exception {
        JsonNode gpu = YAML.readTree(dockerDir().resolve("compose.gpu.yaml").toFile()).path("services").path("streamformer");
        JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").get(0);
        assertNotNull(device, "deploy.resources.reservations.devices");
        assertEquals("nvidia", device.path("driver").asText());
        assertTrue(JSON.convertValue(device.path("capabilities"), List.class).contains("gpu"));
        assertEquals("docker/Dockerfile.gpu", gpu.path("build").path("dockerfile").asText());
        List<String> command = JSON.convertValue(gpu.path("command"), List.class);
        String topologyPath = command.get(command.indexOf("--topology") + 1);
        List<String> volumes = JSON.convertValue(gpu.path("volumes"), List.class);
        String mount = volumes.stream().filter(v -> v.split(":")[1].equals(topologyPath)).findFirst()
                .orElseThrow(() -> new AssertionError("the GPU topology " + topologyPath + " is mounted"));
        JsonNode topology = YAML.readTree(dockerDir().resolve(mount.split(":")[0]).toFile());
        assertTrue(topology.path("stages").size() > 0);
        topology.path("stages").forEach(stage -> assertEquals("cuda", stage.path("device").asText()));
        assertEquals("0.0.0.0", topology.path("http").path("host").asText(), "reachable through the published port");
        assertTrue(topology.path("http").path("allowRemote").asBoolean(), "0.0.0.0 allowed explicitly, or the server refuses it");
    }

    /** "NAME://host:port,..." → name → port. */
    private static Map<String, String> listeners(String spec) {
        Map<String, String> out = new HashMap<>();
        for (String l : spec.split(",")) {
            var m = Pattern.compile("(\\w+)://([^:]*):(\\d+)").matcher(l.strip());
            assertTrue(m.matches(), "listener " + l);
            out.put(m.group(1), m.group(3));
        }
        return out;
    }

    private static String pomProperty(String name) throws IOException {
        var m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), name + " in pom.xml");
        return m.group(1);
    }
}
