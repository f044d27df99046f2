package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamformer.topology.TopologyException;
import dev.streamformer.topology.TopologyLoader;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topology file parser on any text: a checked {@link TopologyLoader.Plan}, or a {@link TopologyException} whose
 * message starts with {@code FILE:LINE:}. Nothing else escapes (an unchecked exception from a value the checks let
 * through would reach the user as a stack trace instead of a line to fix). A plan's stages must also build their
 * pipeline settings: the loader is the place that reports a bad value with its line.
 */
class TopologyFuzzTest {

    private static final String FILE = "fuzz.yaml";

    @FuzzTest
    @DictionaryEntries({"stages:", "- name: ", "task: ", "embed", "classify", "generate", "model: ", "input: ", "output: ",
            "dlq: ", "kafka:", "http:", "port: ", "host: ", "engine: ", "device: ", "threads: ", "batching:", "maxTokens: ",
            "maxRecords: ", "maxWaitMs: ", "overflow: ", "labels: ", "route:", "topics:", "field: ", "generation:",
            "stop: ", "temperature: ", "topP: ", "maxTextBytes: ", "textField: ", "&a", "*a", "<<: ", "!!binary", "~"})
    void anyText(byte[] bytes) {
        String yaml = new String(bytes, StandardCharsets.UTF_8);
        TopologyLoader.Plan plan;
        try {
            plan = TopologyLoader.parse(FILE, yaml);
        } catch (TopologyException e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().matches("(?s)" + FILE + ":\\d+: .+"), "message without FILE:LINE: " + e.getMessage());
            return;
        }
        assertFalse(plan.stages().isEmpty());
        for (TopologyLoader.StagePlan stage : plan.stages()) {
            assertNotNull(stage.pipeline().streamsConfig(plan.kafka()).build());
        }
    }
}
