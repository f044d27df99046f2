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
                    input: i
                    output: o
                """);
        assertEquals(1, e.problems().size(), e.getMessage()); // not also "model: missing"
        assertTrue(e.getMessage().startsWith("t.yaml:5: stages[0].modle: unknown key; did you mean 'model'? Allowed in stages[0]: name, task, model,"),
                e.getMessage());
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
        assertTrue(e.getMessage().contains("stages[0].query: only a rerank stage takes a query; remove it or use task: rerank."), e.getMessage());
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
    void everyMistakeIsReportedWithItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("many.yaml");
        java.nio.file.Files.writeString(file, """
                name: many
                kafka:
                  bootstrap.servers: localhost:9092
                htpp: {port: 8080}
                stages:
                  - name: one
                    task: classify
                    model: no/such/model-dir
                    input: reviews
                    output: reviews.scored
                    threshold: 2
                    minScore: -0.5
                    batching:
                      maxTokens: lots
                      maxRecords: 0
                      maxWaitMs: 1.5
                    allScores: maybe
                  - name: two
                    task: embedd
                    model: all-minilm-l6-v2
                    input: events
                    output: events.out
                    max_text_bytes: 100
                    cache: {enabled: true, maxEntries: -1}
                  - name: three
                    task: generate
                    model: ../shared/models/newsgpt-mini
                    input: a
                    output: b
                    generation: {topP: 1.5, maxNewTokens: 0, stop: "x"}
                """);
        var e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file));
        String f = file.toString();
        java.util.List<String> expected = java.util.List.of(
                f + ":4: htpp: unknown key; did you mean 'http'?",
                f + ":8: stages[0].model: 'no/such/model-dir' is neither a built-in id nor a directory",
                f + ":11: stages[0].threshold: must be in [0, 1] (a probability), got 2.0.",
                f + ":12: stages[0].minScore: must be in [0, 1]",
                f + ":14: stages[0].batching.maxTokens: must be a whole number, got 'lots'.",
                f + ":15: stages[0].batching.maxRecords: must be a positive whole number (records per batch), got 0.",
                f + ":16: stages[0].batching.maxWaitMs: must be a whole number, got 1.5.",
                f + ":17: stages[0].allScores: must be true or false, got 'maybe'.",
                f + ":19: stages[1].task: 'embedd' is unknown (did you mean 'embed'?); use embed, classify, rerank, entities or generate.",
                f + ":23: stages[1].max_text_bytes: unknown key; did you mean 'maxTextBytes'?",
                f + ":24: stages[1].cache.maxEntries: must be a positive whole number",
                f + ":30: stages[2].generation.stop: must be a list",
                f + ":30: stages[2].generation.maxNewTokens: must be a positive whole number, got 0.",
                f + ":30: stages[2].generation.topP: must be in (0, 1]");
        var problems = e.problems();
        assertEquals(expected.size(), problems.size(), String.join("\n", problems));
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i), got = problems.get(i);
            assertTrue(got.startsWith(want), "mistake " + i + ": want " + want + "\n got " + got);
        }
        assertEquals(String.join("\n", problems), e.getMessage());
        for (String p : problems) {
            assertTrue(!p.contains("Cannot deserialize") && !p.contains("java.lang"), p);
        }
    }

    @Test
    void aTopologyWithoutMistakesStillLoadsAfterTheShapeCheck() {
        var plan = TopologyLoader.parse("t.yaml", """
                stages:
                  - {name: a, task: classify, model: m, input: i, output: o, threshold: "0.7", batching: {maxTokens: "512"}}
                """);
        assertEquals(0.7f, plan.stages().get(0).task().threshold());
        assertEquals(512, plan.stages().get(0).task().budget().maxTokens());
    }

    @Test
    void aKeyGivenTwiceIsReportedAtTheRepeat() {
        var e = fail("""
                stages:
                  - name: a
                    task: embed
                    model: all-minilm-l6-v2
                    input: i
                    output: o
                    model: bge-small-en-v15
                """);
        assertEquals("t.yaml:7: stages[0].model: given twice in the same mapping (first on line 4); keep one, the last one would win.",
                e.getMessage());
    }

    @Test
    void nestedKafkaPropertiesAreRefused() {
        var e = fail("""
                kafka:
                  commit:
                    interval.ms: 100
                stages:
                  - {name: a, task: embed, model: m, input: i, output: o}
                """);
        assertTrue(e.getMessage().startsWith("t.yaml:2: kafka.commit: is a mapping; Kafka properties are flat"), e.getMessage());
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
