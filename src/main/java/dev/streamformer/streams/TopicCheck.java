package dev.streamformer.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before start: can we reach Kafka, do the topics exist, and is the application.id free of other pipelines? Kafka
 * Streams would otherwise retry for minutes behind a wall of client warnings (no broker), fail later with a less
 * direct error (a missing input topic), let the broker auto-create output topics with its defaults, or split the
 * partitions of two unrelated pipelines between them (a shared application.id).
 * Uses the pipeline's own client settings (security included) through {@link StreamsConfig#getAdminConfigs}.
 */
final class TopicCheck {

    private static final Logger log = LoggerFactory.getLogger(TopicCheck.class);
    /** A broker answers in milliseconds; a newcomer without one should learn it within seconds, not after a minute. */
    static final int TIMEOUT_SECONDS = 5;

    private TopicCheck() {}

    /** @return the names of the topics that exist on the cluster */
    static Set<String> run(PipelineConfig config) {
        var streamsConfig = new StreamsConfig(config.streamsProperties());
        String bootstrap = String.join(",", streamsConfig.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        Set<String> existing;
        Admin admin = Admin.create(streamsConfig.getAdminConfigs("streamformer-topic-check"));
        try {
            existing = admin.listTopics(new ListTopicsOptions().timeoutMs(TIMEOUT_SECONDS * 1000))
                    .names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            checkApplicationId(admin, config);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof AuthenticationException auth) {
                throw new IllegalStateException(authenticationFailure(bootstrap, auth), e);
            }
            throw new IllegalStateException("Cannot reach Kafka at " + bootstrap + " within " + TIMEOUT_SECONDS
                    + " s: start a broker there (e.g. ./streamformer broker --port 9092) or point --bootstrap-servers at yours.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the topics on " + bootstrap, e);
        } finally {
            admin.close(Duration.ofSeconds(1)); // without a broker, waiting longer changes nothing
        }
        for (String input : config.inputTopics()) {
            if (!existing.contains(input)) {
                throw new IllegalStateException("The input topic '" + input + "' does not exist on " + bootstrap
                        + ": create it (./streamformer broker --topic " + input + ":2 starts a broker with it; on a cluster: "
                        + "kafka-topics.sh --bootstrap-server " + bootstrap + " --create --topic " + input
                        + ") or fix the name.");
            }
        }
        if (config.inputPattern() != null && existing.stream().noneMatch(config::reads)) {
            log.warn("No topic on {} matches the input pattern '{}' yet; the pipeline reads matching topics once they are created.",
                    bootstrap, config.inputPattern());
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
        return existing;
    }

    /**
     * One sentence that says which side failed: the TLS handshake (the client does not trust the broker's certificate, or
     * the broker does not accept the client's) or the login (user or password). Kafka's own reason is kept in brackets.
     */
    static String authenticationFailure(String bootstrap, AuthenticationException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SslAuthenticationException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            if (root != e && root.getMessage() != null) reason = root.getMessage();
            return "TLS authentication with Kafka at " + bootstrap + " failed (" + reason + "): the certificates do not match;"
                    + " check ssl.truststore.location and ssl.truststore.password (the trust store must hold the certificate that"
                    + " signed the broker's), and ssl.keystore.* if the broker asks for a client certificate.";
        }
        return "Authentication failed: Kafka at " + bootstrap + " rejected the login (" + reason + "); check the user name and"
                + " password in sasl.jaas.config and sasl.mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512).";
    }

    /**
     * Running members of the application's consumer group that read other topics than this pipeline's input belong to a
     * different pipeline: sharing one application.id would split the partitions of both between them.
     */
    private static void checkApplicationId(Admin admin, PipelineConfig config) throws InterruptedException {
        String group = config.applicationId();
        List<MemberDescription> members;
        try {
            members = admin.describeConsumerGroups(List.of(group), new DescribeConsumerGroupsOptions().timeoutMs(TIMEOUT_SECONDS * 1000))
                    .describedGroups().get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).members().stream().toList();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("Could not describe consumer group {}: {}", group, e.toString());
            return;
        }
        Set<String> foreign = new TreeSet<>();
        for (MemberDescription m : members) {
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (!config.reads(tp.topic())) foreign.add(tp.topic());
            }
        }
        if (!foreign.isEmpty()) {
            throw new IllegalStateException("application.id " + group + " is already used by a running pipeline that reads " + foreign
                    + ", not '" + config.inputName() + "': give this pipeline its own --config application.id=NAME.");
        }
    }
}
