package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.streamformer.streams.KafkaTestSupport.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Format {@code avro} on a real KRaft broker with real transactions: Avro records of a schema file in, enriched Avro
 * records out, decoded here by Apache Avro with the evolved schema written out by hand (the input schema plus the
 * task's fields, each optional), and bad Avro values in the dead-letter topic with their reason, each exactly once.
 */
class AvroPipelineIT {

    private static final Schema REVIEW = new Schema.Parser().parse("""
            {"type": "record", "name": "Review", "namespace": "shop", "fields": [
              {"name": "id", "type": "string"},
              {"name": "text", "type": ["null", "string"], "default": null},
              {"name": "stars", "type": "int"}
            ]}""");

    /** What a consumer of the output registers: the input schema plus TextStatsTask's fields and the model. */
    private static final Schema ENRICHED = new Schema.Parser().parse("""
            {"type": "record", "name": "Review", "namespace": "shop", "fields": [
              {"name": "id", "type": "string"},
              {"name": "text", "type": ["null", "string"], "default": null},
              {"name": "stars", "type": "int"},
              {"name": "length", "type": ["null", "long"], "default": null},
              {"name": "crc32", "type": ["null", "string"], "default": null},
              {"name": "label", "type": ["null", "string"], "default": null},
              {"name": "model", "type": ["null", "string"], "default": null}
            ]}""");

    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void avroRecordsAreEnrichedExactlyOnceAndBadAvroIsDeadLetteredWithItsReason(@TempDir Path dir) throws Exception {
        Path schemaFile = Files.writeString(dir.resolve("review.avsc"), REVIEW.toString());
        broker.createTopics(2, "reviews", "reviews.enriched", "reviews.dlq");
        var events = new ArrayList<KafkaTestSupport.Event>();
        for (int i = 0; i < 300; i++) {
            String id = "r" + i;
            byte[] good = avro(review(id, "Review " + i + " says " + "fine kettle ".repeat(1 + i % 4), i % 5 + 1));
            events.add(switch (i % 60) {
                case 11 -> new KafkaTestSupport.Event(id, Arrays.copyOf(good, good.length - 3), true);       // truncated
                case 23 -> new KafkaTestSupport.Event(id, ("{\"id\":\"" + id + "\",\"text\":\"json, not avro\"}")
                        .getBytes(StandardCharsets.UTF_8), true);                                          // another format
                case 35 -> new KafkaTestSupport.Event(id, new byte[0], true);                                 // empty
                case 47 -> new KafkaTestSupport.Event(id, avro(review(id, null, 3)), true);                  // no text
                default -> new KafkaTestSupport.Event(id, good, false);
            });
        }
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), "reviews", events);
        long bad = produced.stream().filter(KafkaTestSupport.Produced::bad).count();

        PipelineConfig config = PipelineConfig.builder()
                .inputTopic("reviews").outputTopic("reviews.enriched")
                .valueFormat(new PipelineConfig.Format("avro", Map.of("schemaFile", schemaFile.toString())))
                .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                .streamsConfig("application.id", "it-avro")
                .streamsConfig("state.dir", dir.resolve("state").toString())
                .build();
        try (var task = new TextStatsTask(); var pipeline = new Pipeline(config, task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "reviews.enriched", "reviews.dlq")) {
            pipeline.start();
            reader.readAtLeast(produced.size(), Duration.ofSeconds(90), Duration.ofSeconds(2));
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("reviews.enriched");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("reviews.dlq");

            assertEquals(KafkaStreams.State.RUNNING, pipeline.state());
            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(bad, dead.size());
            assertEquals(Map.of("parse/schema-mismatch", 15, "parse/missing-text", 5), ExactlyOnceCheck.reasons(dead));
            for (ConsumerRecord<byte[], byte[]> out : output) {
                GenericRecord record = new GenericDatumReader<GenericRecord>(ENRICHED)
                        .read(null, DecoderFactory.get().binaryDecoder(out.value(), null));
                String text = record.get("text").toString();
                ObjectNode stats = TextStatsTask.stats(text);
                assertEquals(string(out.key()), record.get("id").toString());
                assertEquals(stats.get("length").asLong(), record.get("length"));
                assertEquals(stats.get("crc32").asText(), record.get("crc32").toString());
                assertEquals(stats.get("label").asText(), record.get("label").toString());
                assertEquals("test/text-stats", record.get("model").toString());
            }
        }
        var backward = SchemaCompatibility.checkReaderWriterCompatibility(ENRICHED, REVIEW);
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, backward.getType(), backward.getDescription());
    }

    private static GenericRecord review(String id, String text, int stars) {
        GenericRecord r = new GenericData.Record(REVIEW);
        r.put("id", id);
        r.put("text", text);
        r.put("stars", stars);
        return r;
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
