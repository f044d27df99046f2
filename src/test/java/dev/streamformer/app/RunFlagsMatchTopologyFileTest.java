package dev.streamformer.app;

import dev.streamformer.topology.TopologyLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code run} with flags and a topology file with the same settings, written by hand with the documented keys, build the
 * same stage: the same task spec and the same pipeline config. A flag that is read but dropped on its way to the stage
 * (as {@code --ignore-eos} once was) makes its case fail.
 */
class RunFlagsMatchTopologyFileTest {

    /** A generate stage reading {@code in} and writing {@code out}: in a file, and as flags. */
    private static final String GENERATE = """
                name: generate
                task: generate
                model: ../shared/models/newsgpt-mini
                input: in
                output: out
            """;

    private static String[] withGenerateFlags(String... more) {
        var flags = new ArrayList<>(List.of("--task", "generate", "--model", "../shared/models/newsgpt-mini", "--input-topic", "in",
                "--output-topic", "out"));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    private static void assertSameStage(String yamlStage, String... flags) throws Exception {
        var command = new RunCommand();
        var args = new ArrayList<>(List.of("-b", "x:1"));
        args.addAll(List.of(flags));
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        TopologyLoader.StagePlan fromFlags = command.plan().stages().getFirst();

        TopologyLoader.Plan file = TopologyLoader.parse("t.yaml", "kafka: {bootstrap.servers: \"x:1\"}\nstages:\n  -\n" + yamlStage);
        TopologyLoader.StagePlan fromFile = file.stages().getFirst();

        assertEquals(fromFile.name(), fromFlags.name());
        assertEquals(fromFile.task(), fromFlags.task());
        assertEquals(fromFile.pipeline().build(), fromFlags.pipeline().build());
    }

    @Test
    void classifyWithRoutesCacheAndEveryInputAndOutputSetting() throws Exception {
        assertSameStage("""
                        name: classify
                        task: classify
                        model: all-minilm-l6-v2
                        engine: java
                        threads: 2
                        overflow: reject
                        labels: "pos=a happy review,neg=an unhappy review"
                        allScores: true
                        threshold: 0.4
                        minScore: 0.2
                        input: reviews,more
                        textField: body.text
                        maxTextBytes: 999
                        tombstones: drop
                        batching: {maxTokens: 1000, maxRecords: 9, maxWaitMs: 20}
                        output: scored
                        dlq: bad
                        route: {field: verdict, topics: {pos: reviews.pos}}
                        outputField: result
                        dropInputFields: true
                        cache: {enabled: true, maxEntries: 7}
                    """,
                "--task", "classify", "--model", "all-minilm-l6-v2", "--engine", "java", "--threads", "2", "--overflow", "reject",
                "--labels", "pos=a happy review,neg=an unhappy review", "--all-scores", "--threshold", "0.4", "--min-score", "0.2",
                "--input-topic", "reviews,more", "--text-field", "body.text", "--max-text-bytes", "999", "--tombstones", "drop",
                "--max-tokens", "1000", "--max-batch", "9", "--max-wait-ms", "20",
                "--output-topic", "scored", "--dlq-topic", "bad", "--route", "pos=reviews.pos", "--route-field", "verdict",
                "--output-field", "result", "--drop-input-fields", "--cache", "--cache-max-entries", "7");
    }

    @Test
    void embedFromAPatternIntoAHeader() throws Exception {
        assertSameStage("""
                        name: embed
                        task: embed
                        model: bge-small-en-v15
                        prefix: query
                        inputPattern: "in\\\\..*"
                        textTemplate: "{title}: {body}"
                        output: vectors
                        outputHeader: embedding
                        vectorEncoding: base64-f16
                        dimensions: 128
                    """,
                "--model", "bge-small-en-v15", "--prefix", "query", "--input-pattern", "in\\..*", "--text-template", "{title}: {body}",
                "--output-topic", "vectors", "--output-header", "embedding", "--vector-encoding", "base64-f16", "--dimensions", "128");
    }

    @Test
    void generateWithAPromptOverFieldsAndEveryDecodingSetting() throws Exception {
        assertSameStage(GENERATE + """
                        generation:
                          template: "Title: {title}. {text}"
                          maxNewTokens: 5
                          temperature: 0.7
                          topK: 5
                          topP: 0.9
                          repetitionPenalty: 1.1
                          seed: 3
                          stop: [END]
                          timeBudgetMs: 500
                          details: true
                          quantize: q8_0
                          ignoreEos: true
                    """,
                withGenerateFlags("--template", "Title: {title}. {text}", "--max-new-tokens", "5",
                        "--temperature", "0.7", "--top-k", "5", "--top-p", "0.9", "--repetition-penalty", "1.1", "--seed", "3", "--stop", "END",
                        "--time-budget-ms", "500", "--details", "--quantize", "q8_0", "--ignore-eos"));
    }

    @Test
    void generateOnTextValues() throws Exception {
        assertSameStage(GENERATE + """
                        valueFormat: text
                        outputFormat: text
                    """,
                withGenerateFlags("--value-format", "text", "--output-format", "text"));
    }

    @Test
    void generateWithTheChatTemplate() throws Exception {
        assertSameStage(GENERATE + """
                        generation: {chat: true, system: "Be brief.", chatTemplateKwargs: {enable_thinking: false}}
                    """,
                withGenerateFlags("--chat", "--system", "Be brief.", "--chat-template-kwargs", "enable_thinking=false"));
    }

    @Test
    void rerankAndEntitiesTakeTheirOwnSettings() throws Exception {
        assertSameStage("""
                        name: rerank
                        task: rerank
                        model: all-minilm-l6-v2
                        query: "Where is Berlin?"
                        input: in
                        output: out
                    """,
                "--task", "rerank", "--model", "all-minilm-l6-v2", "--query", "Where is Berlin?", "--input-topic", "in", "--output-topic", "out");
        assertSameStage("""
                        name: entities
                        task: entities
                        model: all-minilm-l6-v2
                        aggregation: first
                        input: in
                        output: out
                    """,
                "--task", "entities", "--model", "all-minilm-l6-v2", "--aggregation", "first", "--input-topic", "in", "--output-topic", "out");
    }
}
