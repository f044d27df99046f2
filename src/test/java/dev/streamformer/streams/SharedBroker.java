package dev.streamformer.streams;

import dev.streamformer.broker.EmbeddedKafkaBroker;
import dev.streamformer.broker.QuietKafkaLogs;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real KRaft broker for all tests of a class: started before the first, closed after the last.
 * Use as {@code @RegisterExtension static final SharedBroker broker = new SharedBroker();}.
 */
final class SharedBroker implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        QuietKafkaLogs.apply();
        broker = EmbeddedKafkaBroker.start(0, null);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) broker.close();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    void createTopics(int partitions, String... topics) {
        broker.createTopics(partitions, topics);
    }

    EmbeddedKafkaBroker broker() {
        return broker;
    }
}
