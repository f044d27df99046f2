package dev.streamformer.streams;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineConfigTest {

    private static PipelineConfig.Builder minimal() {
        return PipelineConfig.builder().inputTopic("in").outputTopic("out").streamsConfig("bootstrap.servers", "h:9092");
    }

    @Test
    void defaults() {
        PipelineConfig config = minimal().build();
        assertEquals("in.dlq", config.deadLetterTopic());
        assertEquals("text", config.textField());
        assertEquals(PipelineConfig.Batching.DEFAULT, config.batching());
        var props = config.streamsProperties();
        assertEquals("exactly_once_v2", props.get("processing.guarantee"));
        assertEquals("streamformer-in", props.get("application.id"));
        assertEquals(1000, props.get("commit.interval.ms"));
        assertEquals(10L, props.get("poll.ms"));
        assertEquals(2 * PipelineConfig.Batching.DEFAULT.maxRecords(), props.get("main.consumer.max.poll.records"), "two batches of the default size");
        assertEquals(65536, props.get("main.consumer.max.partition.fetch.bytes"));
    }

    @Test
    void recordsPerPollFollowTheBatchUnlessTheUserSetsThemInAnyForm() {
        var batching = new PipelineConfig.Batching(4096, 8, java.time.Duration.ofMillis(50));
        assertEquals(16, minimal().batching(batching).build().streamsProperties().get("main.consumer.max.poll.records"));
        assertEquals(1000, minimal().batching(new PipelineConfig.Batching(100_000, 5000, java.time.Duration.ofMillis(50))).build()
                .streamsProperties().get("main.consumer.max.poll.records"));
        for (String key : new String[]{"max.poll.records", "consumer.max.poll.records", "main.consumer.max.poll.records"}) {
            var props = minimal().streamsConfig(key, 500).build().streamsProperties();
            assertEquals(500, props.get(key), key);
            if (!key.startsWith("main.")) assertEquals(null, props.get("main.consumer.max.poll.records"), key);
            assertEquals(65536, props.get("main.consumer.max.partition.fetch.bytes"), "other defaults stay");
        }
        assertEquals(null, minimal().streamsConfig("consumer.max.partition.fetch.bytes", 1 << 20).build().streamsProperties()
                .get("main.consumer.max.partition.fetch.bytes"));
    }

    @Test
    void everyStreamsKeyPassesThroughUnchangedAndWins() {
        var props = minimal().streamsConfig(Map.of("processing.guarantee", "at_least_once", "application.id", "mine",
                "sasl.jaas.config", "secret", "num.stream.threads", 3, "producer.linger.ms", "7", "commit.interval.ms", "100")).build().streamsProperties();
        assertEquals("at_least_once", props.get("processing.guarantee"));
        assertEquals("mine", props.get("application.id"));
        assertEquals("secret", props.get("sasl.jaas.config"));
        assertEquals(3, props.get("num.stream.threads"));
        assertEquals("7", props.get("producer.linger.ms"));
        assertEquals("100", props.get("commit.interval.ms"));
    }

    @Test
    void deadLetterTopicFollowsKafkasKip1034KeyWhenNotSetExplicitly() {
        assertEquals("kafka-dlq", minimal().streamsConfig("errors.dead.letter.queue.topic.name", "kafka-dlq").build().deadLetterTopic());
        assertEquals("mine", minimal().streamsConfig("errors.dead.letter.queue.topic.name", "kafka-dlq")
                .deadLetterTopic("mine").build().deadLetterTopic());
    }

    @Test
    void toStringNeverShowsSecrets() {
        String shown = minimal().streamsConfig(Map.of(
                "sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"p4ss\";",
                "ssl.keystore.password", "k3y", "producer.ssl.key.password", "k3y2", "basic.auth.user.info", "u:t0k",
                "num.stream.threads", 2)).build().toString();
        for (String secret : new String[]{"p4ss", "k3y", "k3y2", "t0k"}) {
            assertTrue(!shown.contains(secret), secret + " shown in " + shown);
        }
        assertTrue(shown.contains("sasl.jaas.config=[hidden]") && shown.contains("num.stream.threads=2"), shown);
    }

    @Test
    void clearErrors() {
        var noBootstrap = PipelineConfig.builder().inputTopic("in").outputTopic("out").build();
        assertTrue(assertThrows(IllegalArgumentException.class, noBootstrap::streamsProperties).getMessage().contains("bootstrap.servers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().outputTopic("o").build())
                .getMessage().contains("input topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> minimal().outputTopic("in").build())
                .getMessage().contains("must differ"));
        assertThrows(IllegalArgumentException.class, () -> new PipelineConfig.Batching(0, 1, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new PipelineConfig.Batching(1, 1, Duration.ZERO));
    }
}
