package dev.streamformer.topology;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyLoaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"enrich.yaml", "classify-route.yaml", "generate.yaml"})
    void theShippedExamplesAreValid(String name) {
        TopologyLoader.Plan plan = TopologyLoader.load(Path.of("topology", name));
        assertTrue(plan.stages().size() >= 1);
        assertEquals("localhost:9092", plan.kafka().get("bootstrap.servers"));
    }

    @Test
    void theDockerGpuTopologyIsValid() {
        TopologyLoader.Plan plan = TopologyLoader.load(Path.of("docker", "enrich-cuda.yaml"));
        assertEquals("cuda", plan.stages().get(0).task().engine().device());
    }

    @Test
    void stagesCarryTheirSettings() {
        TopologyLoader.Plan plan = TopologyLoader.load(Path.of("topology", "generate.yaml"));
        var reply = plan.stages().get(1);
        assertEquals("reply", reply.name());
        assertEquals("generate", reply.task().task());
        assertEquals("java", reply.task().engine().engine());
        assertEquals(32, reply.task().generate().decoding().maxNewTokens());
        assertEquals("{text} In other news,", reply.task().generate().template());
        var config = reply.pipeline().streamsConfig("bootstrap.servers", "x:1").build();
        assertEquals("reviews.positive", config.inputTopic());
        assertEquals("reviews.positive.dlq", config.deadLetterTopic());
        assertEquals(8, config.batching().maxRecords());
    }

    static TopologyException fail(String yaml) {
        return assertThrows(TopologyException.class, () -> TopologyLoader.parse("t.yaml", yaml));
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheAllowedKeys() {
        var e = fail("""
                name: x
                stages:
                  - name: a
                    task: embed
                    modle: all-minilm-l6-v2
                """);
        assertTrue(e.getMessage().startsWith("t.yaml:5: stages[0]: unknown key 'modle'"), e.getMessage());
        assertTrue(e.getMessage().contains("model"), e.getMessage());
    }

    @Test
    void anUnknownTaskPointsAtItsLine() {
        var e = fail("""
                stages:
                  - name: a
                    model: m
                    task: summarise
                    input: i
                    output: o
                """);
        assertEquals("t.yaml:4: stages[0].task: 'summarise' is unknown; use embed, classify, rerank, entities or generate.", e.getMessage());
    }

    @Test
    void onlyARerankStageTakesAQuery() {
        var e = fail("""
                stages:
                  - task: embed
                    model: m
                    input: i
                    output: o
                    query: what is it?
                """);
        assertTrue(e.getMessage().contains("stages[0].query: only a rerank stage takes a query."), e.getMessage());
    }

    @Test
    void missingTopicsAreReported() {
        var e = fail("""
                stages:
                  - task: embed
                    model: m
                    output: o
                """);
        assertTrue(e.getMessage().contains("stages[0].input: missing"), e.getMessage());
    }

    @Test
    void aWrongTypeIsReported() {
        var e = fail("""
                stages:
                  - task: embed
                    model: m
                    input: i
                    output: o
                    batching:
                      maxTokens: lots
                """);
        assertTrue(e.getMessage().startsWith("t.yaml:7: stages[0].batching.maxTokens:"), e.getMessage());
    }

    @Test
    void duplicateStageNamesAreRefused() {
        var e = fail("""
                stages:
                  - {name: a, task: embed, model: m, input: i, output: o}
                  - {name: a, task: embed, model: m, input: o, output: p}
                """);
        assertTrue(e.getMessage().contains("'a' is used twice"), e.getMessage());
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        var e = fail("stages:\n  - {name: a, task: embed\n");
        assertTrue(e.getMessage().startsWith("t.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void labelsOnlyOnClassify() {
        var e = fail("""
                stages:
                  - {name: a, task: embed, model: m, input: i, output: o, labels: "x=y,z=w"}
                """);
        assertTrue(e.getMessage().contains("only a classify stage takes labels"), e.getMessage());
    }
}
