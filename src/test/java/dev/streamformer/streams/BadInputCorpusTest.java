package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.broker.QuietKafkaLogs;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of bad and odd events, written here, each with its defined outcome: enriched, enriched with
 * {@code truncated: true}, or dead-lettered with a reason. Runs through the real topology with the real all-minilm-l6-v2
 * model, and checks that a good event after all of them is still enriched.
 */
public class BadInputCorpusTest {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String ENRICHED = "enriched", TRUNCATED = "truncated";
    /** The outcome of a tombstone: written to the output topic unchanged. */
    static final String PASSED = "passed through";

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    public static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("malformed-json", utf8("{\"text\": \"x\" \"y\"}"));
        c.put("truncated-json", utf8("{\"text\": \"hel"));
        c.put("invalid-utf8", new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        c.put("raw-nul-byte", new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'a', 0, 'b', '"', '}'});
        c.put("escaped-nul", utf8("{\"text\": \"a\\u0000b nul inside\"}"));
        c.put("ten-megabytes", utf8("{\"text\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}"));
        c.put("long-but-allowed", utf8("{\"text\": \"" + "word ".repeat(2000) + "\"}"));
        c.put("empty", utf8("{\"text\": \"\"}"));
        c.put("whitespace-only", utf8("{\"text\": \"  \\t\\n \"}"));
        c.put("text-number", utf8("{\"text\": 42}"));
        c.put("text-array", utf8("{\"text\": [\"a\"]}"));
        c.put("text-object", utf8("{\"text\": {\"a\": 1}}"));
        c.put("missing-text", utf8("{\"body\": \"hello\"}"));
        c.put("not-an-object", utf8("[\"text\", \"hello\"]"));
        c.put("deep-nesting", utf8("{\"text\": \"ok\", \"n\": " + "[".repeat(500) + "]".repeat(500) + "}"));
        c.put("duplicate-keys", utf8("{\"text\": \"one\", \"text\": \"two\"}"));
        c.put("huge-number", utf8("{\"text\": \"ok\", \"n\": 123456789012345678901234567890123456789.5e300}"));
        c.put("exponent-overflow", utf8("{\"text\": \"ok\", \"n\": 1e9912567890}"));
        c.put("control-characters", utf8("{\"text\": \"bell \\u0007 and escape \\u001b[0m here\"}"));
        c.put("lone-surrogate", utf8("{\"text\": \"broken \\ud800 pair\"}"));
        c.put("right-to-left-marks", utf8("{\"text\": \"\\u202Ehello\\u202C \\u200F\\u05E9\\u05DC\\u05D5\\u05DD\"}"));
        c.put("emoji-only", utf8("{\"text\": \"😀🎉👩‍👩‍👧‍👦🇫🇷\"}"));
        c.put("unknown-fields", utf8("{\"text\": \"kept as they are\", \"extra\": {\"a\": [1, 2]}, \"n\": 0.1}"));
        return c;
    }

    public static final Map<String, String> EXPECTED = new LinkedHashMap<>();
    static {
        EXPECTED.put("malformed-json", "malformed-json");
        EXPECTED.put("truncated-json", "malformed-json");
        EXPECTED.put("invalid-utf8", "invalid-utf8");
        EXPECTED.put("raw-nul-byte", "malformed-json");      // JSON forbids unescaped control characters
        EXPECTED.put("escaped-nul", ENRICHED);               // the tokenizer's clean_text drops it
        EXPECTED.put("ten-megabytes", "text-too-long");      // over the 64 KiB byte limit
        EXPECTED.put("long-but-allowed", TRUNCATED);         // under the byte limit, over the model's 256 tokens
        EXPECTED.put("empty", "empty-text");
        EXPECTED.put("whitespace-only", "empty-text");
        EXPECTED.put("text-number", "text-not-string");
        EXPECTED.put("text-array", "text-not-string");
        EXPECTED.put("text-object", "text-not-string");
        EXPECTED.put("missing-text", "missing-text");
        EXPECTED.put("not-an-object", "not-an-object");
        EXPECTED.put("deep-nesting", "malformed-json");      // more than 100 levels
        EXPECTED.put("duplicate-keys", "malformed-json");
        EXPECTED.put("huge-number", ENRICHED);               // kept exactly as sent
        EXPECTED.put("exponent-overflow", "malformed-json");
        EXPECTED.put("control-characters", ENRICHED);
        EXPECTED.put("lone-surrogate", "invalid-unicode");
        EXPECTED.put("right-to-left-marks", ENRICHED);
        EXPECTED.put("emoji-only", ENRICHED);
        EXPECTED.put("unknown-fields", ENRICHED);
    }

    @Test
    void everyBadEventHasItsDefinedOutcomeAndTheStreamGoesOn() throws Exception {
        EmbedTask task = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
        try (var run = TopologyRun.start(stage(PipelineConfig.builder()), task, new PipelineMetrics())) {
            Map<String, byte[]> corpus = corpus();
            assertEquals(EXPECTED.keySet(), corpus.keySet());
            corpus.forEach((name, bytes) -> run.input.pipeInput(utf8(name), bytes));
            run.input.pipeInput(utf8("after-all"), utf8("{\"text\": \"The stream still runs after all of that.\"}"));
            run.driver.advanceWallClockTime(Duration.ofSeconds(1));

            Map<String, String> outcome = new LinkedHashMap<>();
            for (TestRecord<byte[], byte[]> r : run.output.readRecordsToList()) {
                JsonNode event = JSON.readTree(r.value());
                assertEquals(384, event.get("embedding").size());
                outcome.put(new String(r.key(), StandardCharsets.UTF_8), event.path("truncated").asBoolean() ? TRUNCATED : ENRICHED);
            }
            for (TestRecord<byte[], byte[]> r : run.deadLetters.readRecordsToList()) {
                String name = new String(r.key(), StandardCharsets.UTF_8);
                var reason = r.headers().lastHeader(DeadLetters.REASON);
                assertNotNull(reason, name);
                assertNotNull(r.headers().lastHeader(DeadLetters.MESSAGE), name);
                assertTrue(java.util.Arrays.equals(corpus.get(name), r.value()), name + ": the original bytes go to the DLQ");
                outcome.put(name, new String(reason.value(), StandardCharsets.UTF_8));
            }
            assertEquals(ENRICHED, outcome.remove("after-all"), "the stream is still running");
            assertEquals(EXPECTED, outcome);
        }
    }

    /** Text-format values (the whole value is the text), each with its defined outcome; {@code null} is a tombstone. */
    static Map<String, byte[]> textCorpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("plain", utf8("just a sentence"));
        c.put("looks-like-json", utf8("{\"text\": \"not parsed\"}"));
        c.put("invalid-utf8", new byte[]{'a', (byte) 0xC3, (byte) 0x28});
        c.put("encoded-surrogate", new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}); // CESU-8, not UTF-8
        c.put("empty", new byte[0]);
        c.put("whitespace-only", utf8(" \t\n "));
        c.put("ten-megabytes", utf8("a".repeat(10 * 1024 * 1024)));
        c.put("emoji-only", utf8("😀🎉👩‍👩‍👧‍👦"));
        c.put("tombstone", null);
        return c;
    }

    static final Map<String, String> TEXT_EXPECTED = new LinkedHashMap<>();
    static {
        TEXT_EXPECTED.put("plain", ENRICHED);
        TEXT_EXPECTED.put("looks-like-json", ENRICHED);
        TEXT_EXPECTED.put("invalid-utf8", "invalid-utf8");
        TEXT_EXPECTED.put("encoded-surrogate", "invalid-utf8");
        TEXT_EXPECTED.put("empty", "empty-text");
        TEXT_EXPECTED.put("whitespace-only", "empty-text");
        TEXT_EXPECTED.put("ten-megabytes", "text-too-long");
        TEXT_EXPECTED.put("emoji-only", ENRICHED);
        TEXT_EXPECTED.put("tombstone", PASSED);
    }

    /** JSON events for the template {@code "{title}\n\n{payload.body}"}, each with its defined outcome. */
    static Map<String, byte[]> templateCorpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("both-fields", utf8("{\"title\": \"T\", \"payload\": {\"body\": \"B\"}}"));
        c.put("number-title", utf8("{\"title\": 42.50, \"payload\": {\"body\": \"B\"}}"));
        c.put("missing-body", utf8("{\"title\": \"T\", \"payload\": {}}"));
        c.put("null-title", utf8("{\"title\": null, \"payload\": {\"body\": \"B\"}}"));
        c.put("payload-not-object", utf8("{\"title\": \"T\", \"payload\": \"B\"}"));
        c.put("object-title", utf8("{\"title\": {\"a\": 1}, \"payload\": {\"body\": \"B\"}}"));
        c.put("array-body", utf8("{\"title\": \"T\", \"payload\": {\"body\": [\"B\"]}}"));
        c.put("blank-fields", utf8("{\"title\": \" \", \"payload\": {\"body\": \"\"}}"));
        c.put("not-json", utf8("title: T"));
        return c;
    }

    static final Map<String, String> TEMPLATE_EXPECTED = new LinkedHashMap<>();
    static {
        TEMPLATE_EXPECTED.put("both-fields", ENRICHED);
        TEMPLATE_EXPECTED.put("number-title", ENRICHED);
        TEMPLATE_EXPECTED.put("missing-body", "missing-field");
        TEMPLATE_EXPECTED.put("null-title", "missing-field");
        TEMPLATE_EXPECTED.put("payload-not-object", "missing-field");
        TEMPLATE_EXPECTED.put("object-title", "field-not-text");
        TEMPLATE_EXPECTED.put("array-body", "field-not-text");
        TEMPLATE_EXPECTED.put("blank-fields", "empty-text");        // "  \n\n" is only whitespace
        TEMPLATE_EXPECTED.put("not-json", "malformed-json");
    }

    @Test
    void textValuesAndTemplatedEventsHaveTheirDefinedOutcomes() throws Exception {
        QuietKafkaLogs.apply();
        EmbedTask task = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
        assertEquals(TEXT_EXPECTED, outcomes(task, PipelineConfig.builder().valueFormat(new PipelineConfig.Format("text", Map.of())),
                textCorpus(), utf8("The stream still runs.")));
        assertEquals(TEMPLATE_EXPECTED, outcomes(task, PipelineConfig.builder().textTemplate("{title}\\n\\n{payload.body}"),
                templateCorpus(), utf8("{\"title\": \"Still\", \"payload\": {\"body\": \"running.\"}}")));
    }

    /** The producer's .proto of the Protobuf corpus (a test resource of the schema package), message shop.Review. */
    static Path reviewsProto() throws Exception {
        return Path.of(BadInputCorpusTest.class.getResource("/dev/streamformer/schema/reviews.proto").toURI());
    }

    /**
     * Protobuf values of {@code shop.Review}, each with its defined outcome. {@code review.binpb} was encoded by protoc
     * (see ProtobufFormatTest); the bad ones are cut from it, framed, or not Protobuf at all.
     */
    static Map<String, byte[]> protobufCorpus() throws Exception {
        byte[] review = BadInputCorpusTest.class.getResourceAsStream("/dev/streamformer/schema/review.binpb").readAllBytes();
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("message", review);
        c.put("truncated-message", java.util.Arrays.copyOf(review, 20));
        c.put("json-not-protobuf", utf8("{\"text\": \"a JSON value on a Protobuf topic\"}"));
        byte[] framed = new byte[review.length + 6];                 // Confluent: 0, schema id 7, message index [0], message
        framed[4] = 7;
        System.arraycopy(review, 0, framed, 6, review.length);
        c.put("confluent-wire-format", framed);
        c.put("empty-message", new byte[0]);                        // every field unset: the text is ""
        c.put("text-invalid-utf8", new byte[]{0x12, 0x02, (byte) 0xC3, 0x28}); // field 2 (text), 2 bytes, not UTF-8
        c.put("tombstone", null);
        return c;
    }

    static final Map<String, String> PROTOBUF_EXPECTED = new LinkedHashMap<>();
    static {
        PROTOBUF_EXPECTED.put("message", ENRICHED);
        PROTOBUF_EXPECTED.put("truncated-message", "schema-mismatch");
        PROTOBUF_EXPECTED.put("json-not-protobuf", "schema-mismatch");
        PROTOBUF_EXPECTED.put("confluent-wire-format", "wire-format-prefix");
        PROTOBUF_EXPECTED.put("empty-message", "empty-text");
        PROTOBUF_EXPECTED.put("text-invalid-utf8", "schema-mismatch"); // proto3 strings must be UTF-8
        PROTOBUF_EXPECTED.put("tombstone", PASSED);
    }

    static final org.apache.avro.Schema NOTE = new org.apache.avro.Schema.Parser().parse("""
            {"type": "record", "name": "Note", "fields": [{"name": "id", "type": "long"}, {"name": "text", "type": "string"}]}""");

    /** Avro binary of a Note, written by Apache Avro. */
    static byte[] avroNote(long id, String text) throws Exception {
        var note = new org.apache.avro.generic.GenericData.Record(NOTE);
        note.put("id", id);
        note.put("text", text);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(NOTE).write(note, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Avro values of Note, each with its defined outcome. */
    static Map<String, byte[]> avroCorpus() throws Exception {
        byte[] note = avroNote(3, "A note about kettles.");
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("record", note);
        c.put("truncated-record", java.util.Arrays.copyOf(note, note.length - 5));
        c.put("another-schema", utf8("{\"text\": \"JSON on an Avro topic\"}")); // bytes left after what reads as a record
        byte[] framed = new byte[note.length + 5];                    // Confluent: 0, schema id 9, record
        framed[4] = 9;
        System.arraycopy(note, 0, framed, 5, note.length);
        c.put("confluent-wire-format", framed);
        c.put("trailing-bytes", java.util.Arrays.copyOf(note, note.length + 3));
        c.put("tombstone", null);
        return c;
    }

    static final Map<String, String> AVRO_EXPECTED = new LinkedHashMap<>();
    static {
        AVRO_EXPECTED.put("record", ENRICHED);
        AVRO_EXPECTED.put("truncated-record", "schema-mismatch");
        AVRO_EXPECTED.put("another-schema", "schema-mismatch");
        AVRO_EXPECTED.put("confluent-wire-format", "wire-format-prefix");
        AVRO_EXPECTED.put("trailing-bytes", "schema-mismatch");
        AVRO_EXPECTED.put("tombstone", PASSED);
    }

    @Test
    void avroAndProtobufValuesHaveTheirDefinedOutcomesAndASchemaWithoutTheTextIsRefusedAtStart(@TempDir Path dir) throws Exception {
        QuietKafkaLogs.apply();
        EmbedTask task = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
        String proto = reviewsProto() + "#shop.Review";
        var descriptor = dev.streamformer.schema.ProtobufFormat.fromSchemaFile(proto).messageType();
        assertEquals(PROTOBUF_EXPECTED, outcomes(task, PipelineConfig.builder().valueFormat(new PipelineConfig.Format("protobuf",
                Map.of("schemaFile", proto, "textField", "text"))), protobufCorpus(), protobufCorpus().get("message"), value -> {
            // read as the input type, the results are unknown fields: the embedding is 384 packed doubles
            var unknown = com.google.protobuf.DynamicMessage.parseFrom(descriptor, value).getUnknownFields().asMap().values();
            return unknown.stream().flatMap(f -> f.getLengthDelimitedList().stream()).mapToInt(b -> b.size() / 8).max().orElse(0);
        }));

        Path avsc = Files.writeString(dir.resolve("note.avsc"), NOTE.toString());
        var avro = dev.streamformer.schema.AvroFormat.fromSchemaFile(avsc);
        assertEquals(AVRO_EXPECTED, outcomes(task, PipelineConfig.builder().valueFormat(new PipelineConfig.Format("avro",
                Map.of("schemaFile", avsc.toString(), "textField", "text"))), avroCorpus(), avroNote(4, "Still running."), value -> {
            // written with the input schema plus the results, each optional (EvolvedSchema's documented shape)
            var withEmbedding = new org.apache.avro.Schema.Parser().parse("""
                    {"type": "record", "name": "Note", "fields": [{"name": "id", "type": "long"}, {"name": "text", "type": "string"},
                     {"name": "embedding", "type": ["null", {"type": "array", "items": "double"}], "default": null},
                     {"name": "model", "type": ["null", "string"], "default": null}]}""");
            var record = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(withEmbedding)
                    .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(value, null));
            return ((java.util.List<?>) record.get("embedding")).size();
        }));

        var noText = assertThrows(IllegalArgumentException.class, () -> new PipelineConfig.Format("protobuf",
                Map.of("schemaFile", reviewsProto() + "#shop.Order", "textField", "text")));
        assertTrue(noText.getMessage().startsWith("The Protobuf message shop.Order has no string field 'text'"), noText.getMessage());
        var noAvroText = assertThrows(IllegalArgumentException.class, () -> new PipelineConfig.Format("avro",
                Map.of("schemaFile", avsc.toString(), "textField", "body")));
        assertTrue(noAvroText.getMessage().startsWith("The Avro schema Note has no string field 'body'"), noAvroText.getMessage());
    }

    /** The corpus stage: events to enriched, in batches of up to 8 that wait at most 100 ms. */
    private static PipelineConfig.Builder stage(PipelineConfig.Builder builder) {
        return builder.inputTopic("events").outputTopic("enriched").batching(new PipelineConfig.Batching(4096, 8, Duration.ofMillis(100)));
    }

    /** Each corpus entry's outcome through the real topology, after which {@code good} must still be enriched. */
    private static Map<String, String> outcomes(EmbedTask task, PipelineConfig.Builder stage, Map<String, byte[]> corpus, byte[] good)
            throws Exception {
        return outcomes(task, stage, corpus, good, value -> JSON.readTree(value).get("embedding").size());
    }

    /** How many numbers the embedding in an output value has. */
    interface EmbeddingSize {
        int of(byte[] value) throws Exception;
    }

    /** As above, for output values that {@code embeddingSize} reads. */
    private static Map<String, String> outcomes(EmbedTask task, PipelineConfig.Builder stage, Map<String, byte[]> corpus, byte[] good,
                                                EmbeddingSize embeddingSize) throws Exception {
        try (var run = TopologyRun.start(stage(stage), task, new PipelineMetrics())) {
            corpus.forEach((name, bytes) -> run.input.pipeInput(utf8(name), bytes));
            run.input.pipeInput(utf8("after-all"), good);
            run.driver.advanceWallClockTime(Duration.ofSeconds(1)); // a tick that sees the input pause ...
            run.driver.advanceWallClockTime(Duration.ofSeconds(1)); // ... and one that flushes the part-full batch

            Map<String, String> outcome = new LinkedHashMap<>();
            for (TestRecord<byte[], byte[]> r : run.output.readRecordsToList()) {
                String name = new String(r.key(), StandardCharsets.UTF_8);
                if (r.value() == null) {
                    outcome.put(name, PASSED);
                    continue;
                }
                assertEquals(384, embeddingSize.of(r.value()), name);
                outcome.put(name, ENRICHED);
            }
            for (TestRecord<byte[], byte[]> r : run.deadLetters.readRecordsToList()) {
                String name = new String(r.key(), StandardCharsets.UTF_8);
                assertTrue(java.util.Arrays.equals(corpus.get(name), r.value()), name + ": the original bytes go to the DLQ");
                outcome.put(name, new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
            }
            assertEquals(ENRICHED, outcome.remove("after-all"), "the stream is still running");
            return outcome;
        }
    }
}
