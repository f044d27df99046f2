package dev.streamformer.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dead-letter topics into a {@link DeadLetterFeed} for the status page: a consumer without a group (it
 * commits nothing and takes no partition from anyone), {@code read_committed}, starting a few records before the end
 * of each partition and following new ones. A topic that does not exist yet is looked for again every few seconds.
 */
public final class DeadLetterTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTail.class);
    /** Connection and security settings taken from the pipeline's Kafka configuration; the rest is Streams' business. */
    private static final List<String> CLIENT_KEY_PREFIXES = List.of("bootstrap.servers", "security.", "ssl.", "sasl.",
            "client.dns.lookup", "request.timeout.ms", "default.api.timeout.ms", "metadata.");

    /** Kafka Streams' KIP-1034 stack trace header, left out of the page's copy. */
    static final String STACKTRACE = "__streams.errors.stacktrace";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final DeadLetterFeed feed;
    private final Thread thread;
    private volatile boolean running = true;

    private DeadLetterTail(Map<String, ?> kafka, List<String> topics, DeadLetterFeed feed) {
        var props = new HashMap<String, Object>();
        kafka.forEach((k, v) -> {
            if (v != null && CLIENT_KEY_PREFIXES.stream().anyMatch(k::startsWith)) props.put(k, v);
        });
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamformer-status-dead-letters");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // looking for a topic must not create it
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.feed = feed;
        this.thread = Thread.ofPlatform().daemon().name("streamformer-dead-letter-tail").unstarted(this::loop);
    }

    /** Starts following {@code topics} with the connection settings of {@code kafka} (bootstrap.servers, security.*, ...). */
    public static DeadLetterTail start(Map<String, ?> kafka, List<String> topics, DeadLetterFeed feed) {
        var tail = new DeadLetterTail(kafka, topics, feed);
        tail.thread.start();
        return tail;
    }

    private void loop() {
        Set<TopicPartition> assigned = Set.of();
        long nextLookup = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextLookup) {
                    assigned = assign(assigned);
                    nextLookup = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) feed.push(toDeadLetter(r));
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) LOG.warn("The status page stops showing dead letters: reading {} failed", topics, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of the topics that exist now; new partitions start {@code capacity} records before the end. */
    private Set<TopicPartition> assign(Set<TopicPartition> current) {
        var partitions = new ArrayList<TopicPartition>();
        try {
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null) infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return current; // the broker is not reachable now: try again later
        }
        if (Set.copyOf(partitions).equals(current)) return current;
        consumer.assign(partitions);
        var fresh = partitions.stream().filter(p -> !current.contains(p)).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh, Duration.ofSeconds(5));
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(fresh, Duration.ofSeconds(5));
        for (TopicPartition p : fresh) {
            consumer.seek(p, Math.max(begins.getOrDefault(p, 0L), ends.getOrDefault(p, 0L) - feed.capacity()));
        }
        return Set.copyOf(partitions);
    }

    static DeadLetterFeed.DeadLetter toDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        var headers = new LinkedHashMap<String, String>();
        for (Header h : r.headers()) {
            if (h.key().equals(STACKTRACE)) continue; // the page does not show it, and it is the one large header
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetterFeed.DeadLetter(Instant.ofEpochMilli(r.timestamp()), r.topic(), r.partition(), r.offset(),
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), headers);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
