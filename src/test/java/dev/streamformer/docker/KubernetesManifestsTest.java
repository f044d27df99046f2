package dev.streamformer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.streamformer.topology.TopologyLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/k8s against the Kubernetes API: every document is read into the API's own model classes (fabric8's, generated
 * from the Kubernetes OpenAPI schema), so a misspelt field, a wrong type or a wrong apiVersion for its kind fails here,
 * as kubeconform would (Debian does not ship it). Then what the manifests must say: persistent state, probes on
 * /health, resources, a PodDisruptionBudget, and a topology the loader accepts.
 */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class, "v1/Service", Service.class, "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    private static final Path DIR = Path.of("docker/k8s");

    @TempDir Path tmp;

    /** Every document of every file the kustomization lists, as the API's model objects. */
    static List<HasMetadata> manifests() throws Exception {
        assertTrue(Files.isDirectory(DIR), "run from the repository root: " + DIR);
        JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
        assertEquals("kustomize.config.k8s.io/v1beta1", kustomization.path("apiVersion").asText());
        var out = new ArrayList<HasMetadata>();
        for (JsonNode file : kustomization.path("resources")) {
            Path path = DIR.resolve(file.asText());
            assertTrue(Files.isRegularFile(path), "kustomization lists " + path);
            try (YAMLParser parser = new YAMLFactory().createParser(path.toFile())) {
                for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                    JsonNode doc = it.next();
                    if (doc == null || doc.isMissingNode() || doc.isNull()) continue;
                    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                    Class<? extends HasMetadata> type = KINDS.get(key);
                    assertNotNull(type, path + ": unexpected apiVersion/kind " + key);
                    HasMetadata resource = YAML.treeToValue(doc, type);
                    List<String> unknown = new ArrayList<>();
                    unknownFields(resource, key, unknown);
                    assertEquals(List.of(), unknown, path + ": fields the Kubernetes API does not have");
                    assertFalse(resource.getMetadata().getName().isBlank(), path + ": metadata.name");
                    out.add(resource);
                }
            }
        }
        return out;
    }

    /** Collects the fields a model object did not know (fabric8 keeps them in additionalProperties). */
    private static void unknownFields(Object value, String path, List<String> out) throws Exception {
        if (value == null) return;
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) unknownFields(item, path + "[" + i++ + "]", out);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) unknownFields(e.getValue(), path + "." + e.getKey(), out);
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method m : value.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || m.getDeclaringClass() == Object.class) continue;
            String name = m.getName();
            if (name.equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) m.invoke(value);
                if (extra != null) extra.keySet().forEach(k -> out.add(path + "." + k));
            } else if (name.startsWith("get") && !name.equals("getClass") && !m.getReturnType().isPrimitive()
                    && !(value instanceof Quantity)) {
                unknownFields(m.invoke(value), path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T one(List<HasMetadata> all, Class<T> type, String name) {
        return (T) all.stream().filter(r -> type.isInstance(r) && r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void manifestsAreValidKubernetesObjects() throws Exception {
        List<HasMetadata> all = manifests();
        assertEquals(5, all.size(), "ConfigMap, two Services, StatefulSet, PodDisruptionBudget");
    }

    @Test
    void aStatefulSetWithPersistentStateProbesOnHealthAndResources() throws Exception {
        List<HasMetadata> all = manifests();
        StatefulSet set = one(all, StatefulSet.class, "streamformer");
        var spec = set.getSpec();
        Map<String, String> labels = spec.getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(spec.getSelector().getMatchLabels().entrySet()), "the selector matches the pods");

        Service headless = one(all, Service.class, spec.getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP(), "serviceName is a headless service");
        assertEquals(spec.getSelector().getMatchLabels(), headless.getSpec().getSelector());

        Container c = spec.getTemplate().getSpec().getContainers().getFirst();
        int port = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        assertEquals(8080, port);
        for (Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
            assertNotNull(probe);
            assertEquals("/health", probe.getHttpGet().getPath());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
        }
        assertTrue(c.getResources().getRequests().containsKey("cpu") && c.getResources().getRequests().containsKey("memory"));
        double requested = Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")).doubleValue();
        double limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).doubleValue();
        assertTrue(requested >= 1024L * 1024 * 1024, "at least the measured ~0.97 GiB resident");
        assertTrue(limit >= requested);

        // state: STREAMFORMER_HOME on the claim template's volume (Kafka Streams state under /models/state)
        String home = c.getEnv().stream().filter(e -> e.getName().equals("STREAMFORMER_HOME")).findFirst().orElseThrow().getValue();
        String claim = spec.getVolumeClaimTemplates().getFirst().getMetadata().getName();
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(claim) && m.getMountPath().equals(home)),
                "the persistent volume holds STREAMFORMER_HOME");
        assertEquals(List.of("ReadWriteOnce"), spec.getVolumeClaimTemplates().getFirst().getSpec().getAccessModes());
        assertEquals(10001L, spec.getTemplate().getSpec().getSecurityContext().getRunAsUser(), "the image's user");

        PodDisruptionBudget pdb = one(all, PodDisruptionBudget.class, "streamformer");
        assertEquals(spec.getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void theConfigMapHoldsATopologyTheLoaderAcceptsMountedWhereTheArgsPoint() throws Exception {
        List<HasMetadata> all = manifests();
        StatefulSet set = one(all, StatefulSet.class, "streamformer");
        Container c = set.getSpec().getTemplate().getSpec().getContainers().getFirst();
        String topologyArg = c.getArgs().get(c.getArgs().indexOf("--topology") + 1);
        var mount = c.getVolumeMounts().stream().filter(m -> topologyArg.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        var volume = set.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        ConfigMap map = one(all, ConfigMap.class, volume.getConfigMap().getName());
        String yaml = map.getData().get(topologyArg.substring(mount.getMountPath().length() + 1));
        assertNotNull(yaml, "the ConfigMap has " + topologyArg);
        Path file = Files.writeString(tmp.resolve("enrich.yaml"), yaml);
        TopologyLoader.Plan plan = TopologyLoader.load(file);
        assertEquals("0.0.0.0", plan.httpHost(), "probes reach the status server");
        assertTrue(plan.httpAllowRemote(), "a host beyond loopback must be allowed explicitly, or the server refuses to start");
        assertEquals(8080, plan.httpPort());
    }
}
