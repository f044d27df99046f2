package dev.streamformer.topology;

import dev.streamformer.streams.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stage's record-shape keys (value format, tombstones, ...) in a topology file reach its pipeline config, or are refused with their line. */
class TopologyRecordShapeTest {

    private static PipelineConfig configOf(String stageExtra) {
        TopologyLoader.Plan plan = TopologyLoader.parse("t.yaml", """
                stages:
                  - name: a
                    task: embed
                    model: all-minilm-l6-v2
                    input: in
                    output: out
                """ + stageExtra);
        return plan.stages().get(0).pipeline().streamsConfig("bootstrap.servers", "x:1").build();
    }

    @Test
    void defaultsAreJsonAndPassingTombstones() {
        PipelineConfig config = configOf("");
        assertEquals(PipelineConfig.Format.JSON, config.valueFormat());
        assertEquals(PipelineConfig.Tombstones.PASS, config.tombstones());
    }

    @Test
    void theKeysReachThePipeline() {
        PipelineConfig config = configOf("    valueFormat: text\n    outputFormat: text\n    tombstones: drop\n");
        assertEquals(new PipelineConfig.Format("text", Map.of("outputFormat", "text")), config.valueFormat());
        assertEquals(PipelineConfig.Tombstones.DROP, config.tombstones());
    }

    @Test
    void aSchemaFormatGetsItsSchemaFileAndAMissingOneIsNamedWithItsLine(@TempDir Path dir) throws IOException {
        Path schema = Files.writeString(dir.resolve("review.avsc"),
                "{\"type\": \"record\", \"name\": \"Review\", \"fields\": [{\"name\": \"text\", \"type\": \"string\"}]}");
        PipelineConfig config = configOf("    valueFormat: avro\n    schemaFile: " + schema + "\n");
        assertEquals(new PipelineConfig.Format("avro", Map.of("schemaFile", schema.toString(), "textField", "text")), config.valueFormat());

        var noTextField = assertThrows(TopologyException.class, () -> configOf("    valueFormat: avro\n    schemaFile: " + schema
                + "\n    textField: body\n"));
        assertTrue(noTextField.getMessage().contains("stages[0].valueFormat: The Avro schema Review has no string field 'body'"
                + " (Review's fields: text): name the field that holds the text"), noTextField.getMessage());

        Path none = dir.resolve("none.avsc");
        var missing = assertThrows(TopologyException.class, () -> configOf("    valueFormat: avro\n    schemaFile: " + none + "\n"));
        assertTrue(missing.getMessage().contains("t.yaml:7: stages[0].valueFormat: The Avro schema file " + none + " does not exist"),
                missing.getMessage());
        var noFile = assertThrows(TopologyException.class, () -> configOf("    valueFormat: avro\n"));
        assertTrue(noFile.getMessage().contains("needs the producer's Avro schema"), noFile.getMessage());
    }

    @Test
    void anUnknownFormatOrHandlingIsNamedWithItsLine() {
        var format = assertThrows(TopologyException.class, () -> configOf("    valueFormat: xml\n"));
        assertTrue(format.getMessage().contains("t.yaml:7: stages[0].valueFormat: Unknown value format 'xml': use one of avro, json, json-schema, protobuf, text"),
                format.getMessage());
        var tombstones = assertThrows(TopologyException.class, () -> configOf("    tombstones: keep\n"));
        assertTrue(tombstones.getMessage().contains("stages[0].tombstones: Unknown tombstone handling 'keep': use pass or drop"),
                tombstones.getMessage());
    }

    @Test
    void aGenerationPromptOverOtherFieldsBecomesTheStagesTextTemplate() {
        TopologyLoader.Plan plan = TopologyLoader.parse("t.yaml", """
                stages:
                  - name: g
                    task: generate
                    model: ../shared/models/tiny-qwen2
                    input: in
                    output: out
                    textField: body
                    generation: {template: "Title: {title}. {text}"}
                """);
        TopologyLoader.StagePlan stage = plan.stages().get(0);
        assertEquals("Title: {title}. {body}", stage.pipeline().streamsConfig("bootstrap.servers", "x:1").build().textTemplate());
        assertEquals(null, stage.task().generate().template(), "the task gets the rendered text");

        var both = assertThrows(TopologyException.class, () -> TopologyLoader.parse("t.yaml", """
                stages:
                  - name: g
                    task: generate
                    model: ../shared/models/tiny-qwen2
                    input: in
                    output: out
                    textTemplate: "{a}"
                    generation: {template: "{title}: {text}"}
                """));
        assertTrue(both.getMessage().contains("stages[0].generation.template: names fields other than {text} while the stage has a textTemplate too"),
                both.getMessage());
    }
}
