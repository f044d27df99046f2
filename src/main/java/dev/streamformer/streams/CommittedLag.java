package dev.streamformer.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pipeline's consumer lag as {@code kafka-consumer-groups.sh --describe} reports it: summed over the input topic's
 * partitions, the last stable offset minus the offset the application committed (from the earliest offset where it
 * has committed nothing yet). Read through an Admin client with the pipeline's own client settings.
 *
 * <p>Why not the consumer's {@code records-lag} metric: Kafka Streams pauses a partition once
 * {@code buffered.records.per.partition} records wait in memory, and a paused partition is not fetched, so that
 * metric freezes exactly when the pipeline falls behind (measured: it stayed at 6,361 while the backlog grew past
 * 60,000 in {@code OverloadIT}). It also counts records that were fetched but not yet processed as done.
 */
final class CommittedLag implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommittedLag.class);
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int TIMEOUT_SECONDS = 5;
    private static final int WAIT_MILLIS = 1000;

    private final PipelineConfig config;
    private Admin admin; // created on first use, so that a pipeline nobody scrapes opens no connection
    private volatile double lastLag = Double.NaN;
    private volatile String unreachable; // why the last reading failed; null after an answer
    private long lastReadNanos;
    private boolean refreshing;
    private boolean closed;
    private volatile boolean warned;

    CommittedLag(PipelineConfig config) {
        this.config = config;
    }

    /**
     * Records not yet committed by the application; NaN before the first answer or while Kafka cannot be asked. A
     * reading older than 5 s starts a new one in the background and waits for it at most {@value #WAIT_MILLIS} ms
     * (Kafka answers in a few), so a scrape gets a fresh figure but never hangs on an unreachable cluster.
     */
    double records() {
        Thread reader;
        synchronized (this) {
            if (closed || refreshing || (lastReadNanos != 0 && System.nanoTime() - lastReadNanos < MAX_AGE_NANOS)) {
                return lastLag;
            }
            refreshing = true;
            reader = Thread.ofVirtual().name("streamformer-lag").start(this::refresh);
        }
        try {
            reader.join(Duration.ofMillis(WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastLag;
    }

    /** Why Kafka could not be asked at the last reading (a fresh one is started when it is older than 5 s); null when it answered. */
    String unreachable() {
        records();
        return unreachable;
    }

    private void refresh() {
        double lag;
        try {
            lag = read();
            warned = false;
            unreachable = null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (!warned) {
                log.warn("Cannot read the consumer lag of {} from Kafka ({}); the lag metric shows NaN until it can.",
                        config.inputName(), e.getMessage());
                warned = true;
            }
            lag = Double.NaN;
            unreachable = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lag = Double.NaN;
        }
        synchronized (this) {
            lastLag = lag;
            lastReadNanos = System.nanoTime();
            refreshing = false;
        }
    }

    private double read() throws ExecutionException, InterruptedException, TimeoutException {
        Admin kafka = admin();
        String group = config.streamsProperties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        List<String> topics = config.inputPattern() == null ? config.inputTopics()
                : kafka.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().filter(config::reads).toList();
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        var descriptions = kafka.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (String topic : topics) {
            for (int p = 0; p < descriptions.get(topic).partitions().size(); p++) {
                var partition = new TopicPartition(topic, p);
                latest.put(partition, OffsetSpec.latest());
                if (committed.get(partition) == null) earliest.put(partition, OffsetSpec.earliest());
            }
        }
        // read_committed: the last stable offset, so that an open transaction of the producer is not counted as lag
        var options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = kafka.listOffsets(latest, options).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                : kafka.listOffsets(earliest, options).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition partition : latest.keySet()) {
            OffsetAndMetadata done = committed.get(partition);
            long from = done != null ? done.offset() : starts.get(partition).offset();
            lag += Math.max(0, ends.get(partition).offset() - from);
        }
        return lag;
    }

    private synchronized Admin admin() {
        if (closed) throw new IllegalStateException("closed");
        if (admin == null) {
            var streamsConfig = new StreamsConfig(config.streamsProperties());
            admin = Admin.create(streamsConfig.getAdminConfigs(
                    streamsConfig.getString(StreamsConfig.APPLICATION_ID_CONFIG) + "-lag"));
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        // a reading in flight is abandoned: its Admin calls fail at once instead of holding up the pipeline's shutdown
        if (admin != null) admin.close(Duration.ZERO);
    }
}
