package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.Enrichment;
import dev.streamformer.event.VectorEncoding;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.streamformer.streams.KafkaTestSupport.string;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Record shapes on a real broker with real transactions, each stage checked exactly once by an independent
 * read_committed reader: a text-format stage, a nested-field + template stage that passes a tombstone through after its
 * key's event, and an embedding stage writing base64 float32 vectors (real all-minilm-l6-v2), decoded and compared with
 * the model's own floats.
 */
class RecordFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    private static PipelineConfig.Builder stage(String input, Path stateDir) {
        return PipelineConfig.builder().inputTopic(input).outputTopic(input + ".out")
                .batching(new PipelineConfig.Batching(2048, 16, Duration.ofMillis(50)))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-" + input)
                .streamsConfig("state.dir", stateDir.resolve(input).toString());
    }

    private static KafkaTestSupport.Event event(String id, String value, boolean bad) {
        return new KafkaTestSupport.Event(id, value == null ? null : value.getBytes(UTF_8), bad);
    }

    @Test
    void textNestedTemplateTombstoneAndBase64EmbeddingStagesEndToEnd(@TempDir Path stateDir) throws Exception {
        broker.createTopics(2, "shape-text", "shape-text.out", "shape-text.dlq", "shape-map", "shape-map.out", "shape-map.dlq",
                "shape-embed", "shape-embed.out", "shape-embed.dlq");

        var texts = new ArrayList<KafkaTestSupport.Event>();
        for (int i = 0; i < 40; i++) texts.add(event("t" + i, "plain text number " + i, false));
        texts.add(event("t-json", "{\"text\": \"looks like JSON\"}", false));
        texts.add(new KafkaTestSupport.Event("t-utf8", new byte[] {'a', (byte) 0xC3, 0x28}, true));
        texts.add(event("t-blank", "   ", true));

        var mapped = new ArrayList<KafkaTestSupport.Event>();
        for (int i = 0; i < 20; i++) {
            mapped.add(event("m" + i, "{\"title\":\"Title " + i + "\",\"payload\":{\"body\":\"body " + i + "\"},\"n\":" + i + "}", false));
        }
        mapped.add(event("m-no-body", "{\"title\":\"alone\",\"payload\":{}}", true));
        mapped.add(event("m3", null, false)); // a delete of m3, after m3's event (same key, same partition)

        List<String> sentences = List.of("A fine film.", "The plot drags on and on.", "Streams of events, one at a time.");
        var embeds = new ArrayList<KafkaTestSupport.Event>();
        for (int i = 0; i < sentences.size(); i++) embeds.add(event("x" + i, "{\"text\":\"" + sentences.get(i) + "\"}", false));

        List<KafkaTestSupport.Produced> producedText = KafkaTestSupport.produce(broker.bootstrapServers(), "shape-text", texts);
        List<KafkaTestSupport.Produced> producedMap = KafkaTestSupport.produce(broker.bootstrapServers(), "shape-map", mapped);
        List<KafkaTestSupport.Produced> producedEmbed = KafkaTestSupport.produce(broker.bootstrapServers(), "shape-embed", embeds);

        try (var stats = new TextStatsTask(); var embed = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
             var text = new Pipeline(stage("shape-text", stateDir).valueFormat(new PipelineConfig.Format("text", Map.of())).build(), stats);
             var map = new Pipeline(stage("shape-map", stateDir).textTemplate("{title}\\n{payload.body}")
                     .enrichment(new Enrichment("result", null, false, null)).build(), stats);
             var vectors = new Pipeline(stage("shape-embed", stateDir)
                     .enrichment(new Enrichment(null, null, false, new VectorEncoding(VectorEncoding.Kind.BASE64_F32, 0))).build(), embed);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "shape-text.out", "shape-text.dlq",
                     "shape-map.out", "shape-map.dlq", "shape-embed.out", "shape-embed.dlq")) {
            text.start();
            map.start();
            vectors.start();
            reader.readAtLeast(texts.size() + mapped.size() + embeds.size(), Duration.ofSeconds(120), Duration.ofSeconds(2));
            for (Pipeline p : List.of(text, map, vectors)) assertEquals(KafkaStreams.State.RUNNING, p.state());

            // text: the whole value is the text, JSON-looking or not; bad bytes and blank text are dead letters
            ExactlyOnceCheck.assertExactlyOnce(producedText, reader.from("shape-text.out"), reader.from("shape-text.dlq"));
            for (ConsumerRecord<byte[], byte[]> out : reader.from("shape-text.out")) {
                JsonNode json = JSON.readTree(out.value());
                String expected = string(out.key()).equals("t-json") ? "{\"text\": \"looks like JSON\"}"
                        : "plain text number " + string(out.key()).substring(1);
                assertEquals(expected, json.get("text").asText());
                assertEquals(expected.codePointCount(0, expected.length()), json.get("length").asInt());
            }
            assertEquals(Map.of("parse/invalid-utf8", 1, "parse/empty-text", 1), ExactlyOnceCheck.reasons(reader.from("shape-text.dlq")));

            // nested field + template: the text made of two fields, the result in one field; the delete passes through after its event
            // (the tombstone shares its key, the check's id, with m3's event: it is checked on its own below)
            ExactlyOnceCheck.assertExactlyOnce(producedMap.subList(0, producedMap.size() - 1),
                    reader.from("shape-map.out").stream().filter(r -> r.value() != null).toList(), reader.from("shape-map.dlq"));
            assertEquals(Map.of("parse/missing-field", 1), ExactlyOnceCheck.reasons(reader.from("shape-map.dlq")));
            List<ConsumerRecord<byte[], byte[]>> m3 = reader.from("shape-map.out").stream().filter(r -> string(r.key()).equals("m3")).toList();
            assertEquals(2, m3.size(), "m3's event and its tombstone, once each");
            JsonNode enriched = JSON.readTree(m3.get(0).value());
            assertEquals("Title 3\nbody 3".length(), enriched.get("result").get("length").asInt());
            assertEquals("body 3", enriched.get("payload").get("body").asText(), "input fields kept");
            assertNull(m3.get(1).value(), "then the tombstone, unchanged");
            assertEquals(1, map.counters().recordsIn() - map.counters().recordsOut() - map.counters().deadLetters(), "the tombstone");

            // base64 float32 embeddings decode to exactly the model's floats
            ExactlyOnceCheck.assertExactlyOnce(producedEmbed, reader.from("shape-embed.out"), reader.from("shape-embed.dlq"));
            List<ObjectNode> direct = embed.run(sentences);
            for (ConsumerRecord<byte[], byte[]> out : reader.from("shape-embed.out")) {
                int i = Integer.parseInt(string(out.key()).substring(1));
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(JSON.readTree(out.value()).get("embedding").asText()))
                        .order(ByteOrder.LITTLE_ENDIAN);
                JsonNode expected = direct.get(i).get("embedding");
                float[] decoded = new float[bytes.remaining() / 4];
                float[] floats = new float[expected.size()];
                for (int d = 0; d < decoded.length; d++) decoded[d] = bytes.getFloat();
                for (int d = 0; d < floats.length; d++) floats[d] = expected.get(d).floatValue();
                assertEquals(384, decoded.length);
                assertArrayEquals(floats, decoded, 1e-5f, "batching may change the last bits, not more");
            }
        }
    }
}
