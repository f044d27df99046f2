package dev.streamformer.app;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code streamformer replay --from-dlq events.dlq --to events}: puts dead-lettered records back into a topic after the
 * cause is fixed, exactly once. A read_committed consumer (group {@code streamformer-replay-<dlq>}) and a
 * transactional producer: each batch of records is written and its offsets committed in one transaction, so a replay
 * that crashes and is run again continues where it stopped, without duplicates, and a later run replays only the dead
 * letters that came since. It stops at the end the dead-letter topic had when it started: records that fail again go
 * back to the dead-letter topic and wait for the next replay instead of going round in a loop.
 *
 * <p>Key and value are the original bytes; the error headers ({@code streamformer.error.*}, {@code streamformer.source.*},
 * {@code streamformer.model}, {@code streamformer.tokens}, {@code __streams.errors.*}) are removed, the record's own
 * headers (a {@code traceparent}, say) kept, and {@code streamformer.replayed.from} = {@code <topic>/<partition>/<offset>} added.
 * Dead letters of stage {@code restore} (pending-batch changelog values that could not be read) are skipped and counted:
 * their value is changelog bytes, not an event, so the input would only dead-letter them again.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Put dead-lettered records back into a topic (the pipeline's input), exactly once, after fixing their cause.")
final class ReplayCommand implements Callable<Integer> {

    static final String REPLAYED_FROM = "streamformer.replayed.from";

    @Option(names = "--from-dlq", required = true, paramLabel = "TOPIC", description = "The dead-letter topic to read.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TOPIC", description = "The topic to write them to (the stage's input).")
    String to;

    @Option(names = "--group", paramLabel = "ID", description = "Consumer group that remembers what was replayed. Default: streamformer-replay-<dlq topic>.")
    String group;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> base = kafka.properties();
        if (!base.containsKey("bootstrap.servers")) {
            System.err.println("streamformer replay: pass --bootstrap-servers HOST:PORT (or bootstrap.servers in --config-file).");
            return 2;
        }
        String groupId = group != null ? group : "streamformer-replay-" + from;
        var consumerProps = new HashMap<>(clientSettings(base));
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        var producerProps = new HashMap<>(clientSettings(base));
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + to);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");

        long replayed = 0, skipped = 0;
        try (var consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(from, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                System.err.println("streamformer replay: topic " + from + " does not exist.");
                return 2;
            }
            if (consumer.partitionsFor(to, Duration.ofSeconds(30)).isEmpty()) {
                System.err.println("streamformer replay: topic " + to + " does not exist.");
                return 2;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30)); // where this run stops
            producer.initTransactions();
            while (!caughtUp(consumer, end)) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) continue;
                producer.beginTransaction();
                try {
                    var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() < end.get(tp) && isRestoreFailure(r)) {
                            skipped++;
                        } else if (r.offset() < end.get(tp)) {
                            producer.send(new ProducerRecord<>(to, null, r.key(), r.value(), replayHeaders(r)));
                            replayed++;
                        }
                        offsets.put(tp, new OffsetAndMetadata(Math.min(r.offset() + 1, end.get(tp))));
                    }
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                } catch (KafkaException e) {
                    producer.abortTransaction();
                    throw e;
                }
                // records past the end seen in this poll are read again by the next run (their offsets were not committed)
                for (TopicPartition tp : records.partitions()) {
                    long committedUpTo = end.get(tp);
                    if (consumer.position(tp) > committedUpTo) consumer.seek(tp, committedUpTo);
                }
            }
        }
        System.out.println("Replayed " + replayed + " records from " + from + " to " + to + " (consumer group " + groupId
                + "; a later run replays only what came since).");
        if (skipped > 0) {
            System.out.println("Skipped " + skipped + " corrupt pending-batch records (stage restore): their value is changelog bytes, not"
                    + " an event; read them from " + from + " with the Streamformer version that wrote them.");
        }
        return 0;
    }

    private static boolean isRestoreFailure(ConsumerRecord<byte[], byte[]> r) {
        var stage = r.headers().lastHeader(dev.streamformer.streams.DeadLetters.STAGE);
        return stage != null && "restore".equals(new String(stage.value(), StandardCharsets.UTF_8));
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) return false;
        }
        return true;
    }

    /** The record's own headers without the dead-letter ones, plus where it was replayed from. */
    static RecordHeaders replayHeaders(ConsumerRecord<byte[], byte[]> r) {
        var headers = new RecordHeaders();
        for (Header h : r.headers()) {
            String k = h.key();
            boolean errorHeader = k.startsWith("streamformer.error.") || k.startsWith("streamformer.source.") || k.startsWith("__streams.errors.")
                    || k.equals("streamformer.model") || k.equals("streamformer.tokens") || k.equals(REPLAYED_FROM);
            if (!errorHeader) headers.add(h);
        }
        headers.add(REPLAYED_FROM, (r.topic() + "/" + r.partition() + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** Everything but Kafka Streams' own settings, which the plain clients would only warn about. */
    private static Map<String, Object> clientSettings(Map<String, Object> all) {
        var out = new HashMap<String, Object>();
        all.forEach((k, v) -> {
            if (!k.equals("application.id") && !k.equals("processing.guarantee") && !k.equals("num.stream.threads")
                    && !k.equals("state.dir") && !k.equals("commit.interval.ms")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
