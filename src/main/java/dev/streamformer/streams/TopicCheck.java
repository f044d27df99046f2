package dev.streamformer.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before start: can we reach Kafka, and do the topics exist? Kafka Streams would otherwise fail later with a less
 * direct error (a missing input topic) or let the broker auto-create output topics with its defaults.
 * Uses the pipeline's own client settings (security included) through {@link StreamsConfig#getAdminConfigs}.
 */
final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    private static final int TIMEOUT_SECONDS = 30;

    private TopicCheck() {}

    static void run(PipelineConfig config) {
        var streamsConfig = new StreamsConfig(config.streamsProperties());
        String bootstrap = String.join(",", streamsConfig.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        Set<String> existing;
        try (Admin admin = Admin.create(streamsConfig.getAdminConfigs("streamformer-topic-check"))) {
            existing = admin.listTopics(new ListTopicsOptions().timeoutMs(TIMEOUT_SECONDS * 1000))
                    .names().get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot reach Kafka at " + bootstrap + " within " + TIMEOUT_SECONDS
                    + " s: check bootstrap.servers and the security settings.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the topics on " + bootstrap, e);
        }
        if (!existing.contains(config.inputTopic())) {
            throw new IllegalStateException("The input topic '" + config.inputTopic() + "' does not exist on " + bootstrap
                    + ": create it (kafka-topics.sh --create --topic " + config.inputTopic() + ") or fix the name.");
        }
        var sinks = new LinkedHashSet<String>();
        sinks.add(config.outputTopic());
        sinks.add(config.deadLetterTopic());
        if (config.routing() != null) {
            sinks.addAll(config.routing().topicsByValue().values());
        }
        sinks.removeAll(existing);
        if (!sinks.isEmpty()) {
            log.warn("Topics {} do not exist on {}: the broker will create them with its defaults if it allows auto-creation, "
                    + "otherwise writes fail. Create them to choose partitions and retention.", sinks, bootstrap);
        }
    }
}
