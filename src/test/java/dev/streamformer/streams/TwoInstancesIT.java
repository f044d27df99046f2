package dev.streamformer.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances with one application id share a 4-partition topic: all partitions processed, nothing twice. */
class TwoInstancesIT {

    private static final Logger log = LoggerFactory.getLogger(TwoInstancesIT.class);
    @RegisterExtension
    static final SharedBroker broker = new SharedBroker();

    @Test
    void twoInstancesSplitThePartitionsAndProduceEachRecordOnce(@TempDir Path stateA, @TempDir Path stateB) throws Exception {
        int count = 4_000;
        broker.createTopics(4, "shared-in", "shared-out", "shared-in.dlq");
        try (var task = new TextStatsTask(2);
             var a = new Pipeline(PipelineProcess.config(broker.bootstrapServers(), "it-two", "shared-in", "shared-out", stateA.toString()), task);
             var b = new Pipeline(PipelineProcess.config(broker.bootstrapServers(), "it-two", "shared-in", "shared-out", stateB.toString()), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), "shared-out", "shared-in.dlq")) {
            a.start();
            b.start();
            KafkaTestSupport.await(() -> a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING
                    && !inputPartitions(a).isEmpty() && !inputPartitions(b).isEmpty(), Duration.ofSeconds(60), "both instances to own partitions");
            Set<Integer> ownedByA = inputPartitions(a);
            Set<Integer> ownedByB = inputPartitions(b);
            log.info("instance A owns input partitions {}, B owns {}", ownedByA, ownedByB);
            Set<Integer> both = new HashSet<>(ownedByA);
            both.retainAll(ownedByB);
            assertTrue(both.isEmpty(), "a partition owned twice: " + both);
            Set<Integer> all = new HashSet<>(ownedByA);
            all.addAll(ownedByB);
            assertEquals(Set.of(0, 1, 2, 3), all);

            List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), "shared-in",
                    KafkaTestSupport.events(count));
            reader.readAtLeast(count, Duration.ofSeconds(90), Duration.ofSeconds(2));
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("shared-out");
            List<ConsumerRecord<byte[], byte[]>> dead = reader.from("shared-in.dlq");
            log.info("A: {}, B: {}", a.counters(), b.counters());

            ExactlyOnceCheck.assertExactlyOnce(produced, output, dead);
            assertEquals(Set.of(0, 1, 2, 3), output.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()));
            assertTrue(a.counters().recordsIn() > 0 && b.counters().recordsIn() > 0, "both instances did work");
            assertEquals(count, a.counters().recordsIn() + b.counters().recordsIn(), "no record read twice (no rebalance happened)");
        }
    }

    private static Set<Integer> inputPartitions(Pipeline pipeline) {
        return pipeline.kafkaStreams().metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .flatMap(t -> t.topicPartitions().stream())
                .filter(tp -> tp.topic().equals("shared-in"))
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }
}
