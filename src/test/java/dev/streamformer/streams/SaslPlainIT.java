package dev.streamformer.streams;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka security settings pass through to every client of the pipeline: the embedded broker requires SASL/PLAIN or
 * SASL/SCRAM-SHA-256,
 * the pipeline logs in with the user's {@code sasl.jaas.config}, exactly once still holds, a wrong password is a
 * clear error at start, and the password never appears in the log (Kafka's config dumps at INFO included).
 */
class SaslPlainIT {

    private static final String PASSWORD = "alice-s3cret-pw";
    private static final String WRONG = "not-alices-pw-7319";
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        QuietKafkaLogs.apply();
        broker = EmbeddedKafkaBroker.start(0, null, new EmbeddedKafkaBroker.SaslPlain(Map.of("alice", PASSWORD)));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    void enrichesOverSaslPlainWithoutLoggingThePassword(@TempDir Path stateDir) throws Exception {
        broker.createTopics(2, "secure-in", "secure-out", "secure-in.dlq");
        Map<String, String> alice = EmbeddedKafkaBroker.SaslPlain.clientConfig("alice", PASSWORD);
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), alice, "secure-in",
                KafkaTestSupport.events(500));

        var logs = captureAllLogsAtInfo();
        try (var task = new TextStatsTask();
             var pipeline = new Pipeline(PipelineConfig.builder().inputTopic("secure-in").outputTopic("secure-out")
                     .streamsConfig(alice)
                     .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                     .streamsConfig("application.id", "it-sasl")
                     .streamsConfig("state.dir", stateDir.toString()).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), alice, "secure-out", "secure-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(500, Duration.ofSeconds(60), Duration.ofSeconds(1));
            List<ConsumerRecord<byte[], byte[]>> output = reader.from("secure-out");
            ExactlyOnceCheck.assertExactlyOnce(produced, output, reader.from("secure-in.dlq"));
        } finally {
            QuietKafkaLogs.apply();
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        }
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config = [hidden]")),
                "Kafka's config dump was captured");
        assertFalse(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(PASSWORD)), "the password reached the log");
    }

    @Test
    void aWrongPasswordIsAClearErrorAtStart() {
        assertWrongPasswordSaysAuthenticationFailed(EmbeddedKafkaBroker.SaslPlain.clientConfig("alice", WRONG));
    }

    @Test
    void scramLogsInAndAWrongScramPasswordIsTheSameClearError() throws Exception {
        broker.createTopics(1, "scram-in", "scram-out", "scram-in.dlq");
        Map<String, String> alice = EmbeddedKafkaBroker.SaslPlain.scramClientConfig("alice", PASSWORD);
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), alice, "scram-in",
                KafkaTestSupport.events(100));
        try (var task = new TextStatsTask();
             var pipeline = new Pipeline(PipelineConfig.builder().inputTopic("scram-in").outputTopic("scram-out")
                     .streamsConfig(alice)
                     .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                     .streamsConfig("application.id", "it-scram").build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), alice, "scram-out", "scram-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(100, Duration.ofSeconds(60), Duration.ofSeconds(1));
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("scram-out"), reader.from("scram-in.dlq"));
        }
        assertWrongPasswordSaysAuthenticationFailed(EmbeddedKafkaBroker.SaslPlain.scramClientConfig("alice", "wrong"));
        assertWrongPasswordSaysAuthenticationFailed(EmbeddedKafkaBroker.SaslPlain.scramClientConfig("mallory", PASSWORD));
    }

    /** One sentence that says the login failed, not that Kafka cannot be reached; the password is not in it. */
    private static void assertWrongPasswordSaysAuthenticationFailed(Map<String, String> login) {
        try (var task = new TextStatsTask();
             var pipeline = new Pipeline(PipelineConfig.builder().inputTopic("secure-in").outputTopic("secure-out")
                     .streamsConfig(login)
                     .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                     .streamsConfig("application.id", "it-sasl-wrong").build(), task)) {
            var e = assertThrows(IllegalStateException.class, pipeline::start);
            String message = e.getMessage();
            assertTrue(message.startsWith("Authentication failed: Kafka at " + broker.bootstrapServers() + " rejected the login (")
                    && message.endsWith("); check the user name and password in sasl.jaas.config and sasl.mechanism (PLAIN,"
                    + " SCRAM-SHA-256, SCRAM-SHA-512)."), message);
            assertFalse(message.contains("Cannot reach"), message);
            assertFalse(message.contains(PASSWORD) || message.contains(WRONG), message);
        }
    }

    private static ListAppender<ILoggingEvent> captureAllLogsAtInfo() {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        for (String name : new String[]{Logger.ROOT_LOGGER_NAME, "org.apache.kafka", "kafka", "dev.streamformer"}) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        }
        return appender;
    }
}
