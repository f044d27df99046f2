package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.squareup.wire.ProtoAdapter;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static dev.streamformer.streams.KafkaTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Format {@code protobuf} on a real KRaft broker with real transactions: messages of a {@code .proto} in, encoded by
 * Square Wire's runtime (not protobuf-java, which reads them); enriched messages out, decoded here by Wire with the
 * output message written out by hand from the README's rule (the input message plus the task's fields, numbered
 * 100,000 + CRC-32 of the name mod 10^8); a field that only a newer producer knows is kept; bad values in the
 * dead-letter topic with their reason, each exactly once.
 */
class ProtobufPipelineIT {

    private static final String PROTO = """
            syntax = "proto3";
            package shop;
            message Review {
              string id = 1;
              optional string text = 2;
              int32 stars = 3;
            }
            message Order {
              string sku = 1;
            }
            """;

    /** A newer producer's message: one field more, which the stage does not know and must keep. */
    private static final String NEWER = PROTO.replace("int32 stars = 3;", "int32 stars = 3;\n  string lang = 4;");

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void protobufMessagesAreEnrichedExactlyOnceWithUnknownFieldsKeptAndBadValuesDeadLettered(@TempDir Path dir) throws Exception {
        Path schemaFile = Files.writeString(dir.resolve("reviews.proto"), PROTO);
        ProtoAdapter<Object> review = adapter(dir.resolve("newer"), NEWER, "shop.Review");
        broker.createTopics(2, "pb-reviews", "pb-reviews.enriched", "pb-reviews.dlq");
        var events = new ArrayList<KafkaTestSupport.Event>();
        for (int i = 0; i < 300; i++) {
            String id = "r" + i;
            Map<String, Object> fields = new HashMap<>(Map.of("id", id, "text", "Review " + i + " says " + "fine kettle ".repeat(1 + i % 4),
                    "stars", i % 5 + 1));
            if (i % 3 == 0) {
                fields.put("lang", "en");
            }
            byte[] good = review.encode(fields);
            events.add(switch (i % 60) {
                case 11 -> new KafkaTestSupport.Event(id, Arrays.copyOf(good, good.length - 3), true);       // truncated
                case 23 -> new KafkaTestSupport.Event(id, ("{\"id\":\"" + id + "\",\"text\":\"json, not protobuf\"}")
                        .getBytes(StandardCharsets.UTF_8), true);                                          // another format
                case 35 -> {                                                                                 // registry-framed
                    byte[] framed = new byte[good.length + 6];
                    framed[4] = 17;
                    System.arraycopy(good, 0, framed, 6, good.length);
                    yield new KafkaTestSupport.Event(id, framed, true);
                }
                case 47 -> new KafkaTestSupport.Event(id, review.encode(Map.of("id", id, "stars", 3)), true);  // no text
                default -> new KafkaTestSupport.Event(id, good, false);
            });
        }
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), "pb-reviews", events);
        long bad = produced.stream().filter(KafkaTestSupport.Produced::bad).count();

        PipelineConfig config = PipelineConfig.builder()
                .inputTopic("pb-reviews").outputTopic("pb-reviews.enriched")
                .valueFormat(new PipelineConfig.Format("protobuf", Map.of("schemaFile", schemaFile + "#shop.Review", "textField", "text")))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-protobuf")
                .streamsConfig("state.dir", dir.resolve("state").toString())
                .build();
        // what a consumer of the output declares: the newer producer's message plus the results, by the README's rule
        ProtoAdapter<Object> enriched = adapter(dir.resolve("consumer"), NEWER.replace("string lang = 4;", "string lang = 4;\n"
                + "  int64 length = " + number("length") + ";\n  string crc32 = " + number("crc32") + ";\n"
                + "  string label = " + number("label") + ";\n  string model = " + number("model") + ";"), "shop.Review");
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "pb-reviews.enriched", "pb-reviews.dlq")) {
            pipeline.start();
            reader.readAtLeast(produced.size(), Duration.ofSeconds(90), Duration.ofSeconds(2));
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("pb-reviews.enriched");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("pb-reviews.dlq");

            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(bad, dead.size());
            assertEquals(Map.of("parse/schema-mismatch", 10, "parse/wire-format-prefix", 5, "parse/missing-text", 5),
                    ExactlyOnceCheck.reasons(dead));
            int withLang = 0;
            for (ConsumerRecord<byte[], byte[]> out : output) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) enriched.decode(out.value());
                String text = (String) record.get("text");
                ObjectNode stats = TextStatsTask.stats(text);
                int i = Integer.parseInt(string(out.key()).substring(1));
                assertEquals(string(out.key()), record.get("id"));
                assertEquals(i % 5 + 1, record.get("stars"));
                assertEquals(i % 3 == 0 ? "en" : null, record.get("lang"), "the field the stage does not know is kept");
                withLang += i % 3 == 0 ? 1 : 0;
                assertEquals(stats.get("length").asLong(), record.get("length"));
                assertEquals(stats.get("crc32").asText(), record.get("crc32"));
                assertEquals(stats.get("label").asText(), record.get("label"));
                assertEquals("test/text-stats", record.get("model"));
            }
            assertEquals(100 - countBadWithLang(), withLang);
        }
    }

    /** Good records with {@code lang}: i % 3 == 0, less those whose i % 60 is one of the bad cases. */
    private static int countBadWithLang() {
        int n = 0;
        for (int i = 0; i < 300; i += 3) {
            if (List.of(11, 23, 35, 47).contains(i % 60)) n++;
        }
        return n;
    }

    /** The README's number of an added field. */
    private static long number(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return 100_000 + crc.getValue() % 100_000_000;
    }

    private static ProtoAdapter<Object> adapter(Path dir, String proto, String type) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("reviews.proto"), proto);
        SchemaLoader loader = new SchemaLoader(FileSystems.getDefault());
        loader.initRoots(List.of(Location.get(dir.toString(), "reviews.proto")), List.of());
        Schema schema = loader.loadSchema();
        return schema.protoAdapter(type, true);
    }
}
