package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.event.Enrichment;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.streamformer.streams.TopologyRun.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Record mapping on the Kafka path: text from a nested field or a template, the result in a field, alone, or in a header. */
class RecordMappingTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TopologyRun run;

    @AfterEach
    void close() {
        if (run != null) run.close();
    }

    private static PipelineConfig.Builder config() {
        return PipelineConfig.builder().inputTopic("events").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(1000, 1, Duration.ofMillis(50)));
    }

    private void start(PipelineConfig.Builder builder) {
        run = TopologyRun.start(builder, new TextStatsTask(), new PipelineMetrics());
    }

    private void send(String json) {
        run.input.pipeInput("k".getBytes(UTF_8), json.getBytes(UTF_8));
    }

    @Test
    void theTextComesFromANestedFieldAndTheResultGoesIntoOneField() throws Exception {
        start(config().textField("payload.body").enrichment(new Enrichment("result", null, false, null)));
        send("{\"id\":1,\"payload\":{\"body\":\"four\"}}");
        JsonNode out = JSON.readTree(run.output.readRecord().value());
        assertEquals(1, out.get("id").asInt());
        assertEquals(4, out.get("result").get("length").asInt());
        assertEquals("test/text-stats", out.get("result").get("model").asText());
        assertFalse(out.has("length"));
    }

    @Test
    void aTemplateMakesTheTextAndAMissingFieldIsADeadLetterNamingIt() throws Exception {
        start(config().textTemplate("{title}\\n{body}").enrichment(new Enrichment(null, null, true, null)));
        send("{\"title\":\"ab\",\"body\":\"cd\",\"other\":1}");
        send("{\"title\":\"ab\"}");
        JsonNode out = JSON.readTree(run.output.readRecord().value());
        assertEquals(5, out.get("length").asInt(), "ab\\ncd");
        assertFalse(out.has("title"), "input fields dropped");
        TestRecord<byte[], byte[]> dead = run.deadLetters.readRecord();
        assertEquals("missing-field", new String(dead.headers().lastHeader(DeadLetters.REASON).value(), UTF_8));
        assertTrue(new String(dead.headers().lastHeader(DeadLetters.MESSAGE).value(), UTF_8).contains("'body'"));
    }

    @Test
    void theResultCanGoIntoAHeaderLeavingTheValueAsItCame() throws Exception {
        start(config().enrichment(new Enrichment(null, "enrichment", false, null)));
        String event = "{\"id\":7,\"text\":\"four\",\"price\":1.10}";
        run.input.pipeInput(new TestRecord<>("k".getBytes(UTF_8), event.getBytes(UTF_8),
                new org.apache.kafka.common.header.internals.RecordHeaders().add("trace", new byte[] {1}), T0));
        TestRecord<byte[], byte[]> out = run.output.readRecord();
        assertEquals(event, new String(out.value(), UTF_8));
        assertEquals(4, JSON.readTree(out.headers().lastHeader("enrichment").value()).get("length").asInt());
        assertEquals(1, out.headers().lastHeader("trace").value()[0], "input headers kept");
    }

    @Test
    void aTextValueFormatTakesNoTextFieldOrTemplate() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> config().valueFormat(new PipelineConfig.Format("text", java.util.Map.of())).textField("body").build());
        assertTrue(e.getMessage().startsWith("--value-format text reads the whole value as the text"), e.getMessage());
    }

    @Test
    void aStageReadsSeveralTopicsOrAPatternKeepingKeysAndHeaders() throws Exception {
        var listed = PipelineConfig.builder().inputTopic("a, b").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(1000, 1, Duration.ofMillis(50)))
                .streamsConfig("bootstrap.servers", "unused:9092");
        PipelineConfig listedConfig = listed.build();
        assertEquals(java.util.List.of("a", "b"), listedConfig.inputTopics());
        assertEquals("a-b.dlq", listedConfig.deadLetterTopic());
        assertEquals("streamformer-a-b", listedConfig.applicationId());
        readsBoth(listed, "a", "b");

        var pattern = PipelineConfig.builder().inputPattern("events\\.(eu|us)").outputTopic("enriched")
                .batching(new PipelineConfig.Batching(1000, 1, Duration.ofMillis(50)))
                .streamsConfig("bootstrap.servers", "unused:9092");
        PipelineConfig patternConfig = pattern.build();
        assertTrue(patternConfig.reads("events.eu") && !patternConfig.reads("events.eu2") && !patternConfig.reads("other"));
        readsBoth(pattern, "events.eu", "events.us");
    }

    private void readsBoth(PipelineConfig.Builder builder, String first, String second) throws Exception {
        try (var stage = TopologyRun.start(builder, new TextStatsTask(), new PipelineMetrics())) {
            for (String topic : new String[] {first, second}) {
                stage.inputTopic(topic).pipeInput(new TestRecord<>(topic.getBytes(UTF_8), "{\"text\":\"x\"}".getBytes(UTF_8),
                        new org.apache.kafka.common.header.internals.RecordHeaders().add("from", topic.getBytes(UTF_8)), T0));
            }
            for (String topic : new String[] {first, second}) {
                TestRecord<byte[], byte[]> record = stage.output.readRecord();
                assertEquals(topic, new String(record.key(), UTF_8));
                assertEquals(topic, new String(record.headers().lastHeader("from").value(), UTF_8));
            }
        }
    }

    @Test
    void theInputIsATopicListOrAPatternNotBothAndNeverAnOutput() {
        var both = assertThrows(IllegalArgumentException.class, () -> config().inputPattern("x.*").build());
        assertTrue(both.getMessage().startsWith("Both an input topic and an input pattern are set"), both.getMessage());
        var loop = assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().inputPattern("enr.*").outputTopic("enriched")
                .streamsConfig("bootstrap.servers", "unused:9092").build());
        assertTrue(loop.getMessage().contains("matches 'enriched'"), loop.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().inputPattern("(").outputTopic("o").build());
        assertTrue(bad.getMessage().startsWith("The input pattern '(' is not a regular expression"), bad.getMessage());
    }
}
