package dev.streamformer.streams;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS to the broker, with certificates made in the test by the JDK's {@code keytool}: the embedded broker's client
 * listener is SSL with a self-signed certificate for 127.0.0.1. A pipeline whose trust store holds that certificate
 * enriches exactly once; one whose trust store holds another certificate fails at start with one sentence that says
 * TLS authentication failed, not that Kafka cannot be reached.
 */
class TlsIT {

    @TempDir
    static Path certDir;
    private static TestCertificates certs;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        QuietKafkaLogs.apply();
        certs = TestCertificates.create(certDir);
        broker = EmbeddedKafkaBroker.start(0, null, null, new EmbeddedKafkaBroker.Tls(certs.brokerKeyStore, TestCertificates.PASSWORD,
                certs.trustStore, TestCertificates.PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @Test
    void enrichesOverTlsWithTheRightTrustStore(@TempDir Path stateDir) throws Exception {
        broker.createTopics(2, "tls-in", "tls-out", "tls-in.dlq");
        Map<String, String> trusting = EmbeddedKafkaBroker.Tls.clientConfig(certs.trustStore, TestCertificates.PASSWORD);
        List<KafkaTestSupport.Produced> produced = KafkaTestSupport.produce(broker.bootstrapServers(), trusting, "tls-in",
                KafkaTestSupport.events(300));
        try (var task = new TextStatsTask();
             var pipeline = new Pipeline(PipelineConfig.builder().inputTopic("tls-in").outputTopic("tls-out")
                     .streamsConfig(trusting)
                     .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                     .streamsConfig("application.id", "it-tls")
                     .streamsConfig("state.dir", stateDir.toString()).build(), task);
             var reader = new KafkaTestSupport.CommittedReader(broker.bootstrapServers(), trusting, "tls-out", "tls-in.dlq")) {
            pipeline.start();
            reader.readAtLeast(300, Duration.ofSeconds(60), Duration.ofSeconds(1));
            ExactlyOnceCheck.assertExactlyOnce(produced, reader.from("tls-out"), reader.from("tls-in.dlq"));
        }
    }

    @Test
    void theWrongTrustStoreSaysTlsFailedNotCannotReach() {
        Map<String, String> wrong = EmbeddedKafkaBroker.Tls.clientConfig(certs.wrongTrustStore, TestCertificates.PASSWORD);
        try (var task = new TextStatsTask();
             var pipeline = new Pipeline(PipelineConfig.builder().inputTopic("tls-in").outputTopic("tls-out")
                     .streamsConfig(wrong)
                     .streamsConfig("bootstrap.servers", broker.bootstrapServers())
                     .streamsConfig("application.id", "it-tls-wrong").build(), task)) {
            String message = assertThrows(IllegalStateException.class, pipeline::start).getMessage();
            assertTrue(message.startsWith("TLS authentication with Kafka at " + broker.bootstrapServers() + " failed (")
                    && message.contains("): the certificates do not match; check ssl.truststore.location"), message);
            assertFalse(message.contains("Cannot reach"), message);
            assertFalse(message.contains(TestCertificates.PASSWORD), message);
        }
    }

    @Test
    void plaintextClientsOnTheTlsListenerAreNotServed() {
        // a client without TLS cannot talk to an SSL listener: Kafka sees no TLS handshake and the client sees no answer
        PipelineConfig config = PipelineConfig.builder().inputTopic("tls-in").outputTopic("tls-out")
                .streamsConfig("bootstrap.servers", broker.bootstrapServers()).build();
        String message = assertThrows(IllegalStateException.class, () -> Pipeline.checkKafka(config)).getMessage();
        assertTrue(message.startsWith("Cannot reach Kafka at " + broker.bootstrapServers()), message);
    }
}
