package dev.streamformer.streams;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.streamformer.broker.QuietKafkaLogs;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A pipeline with the {@link TextStatsTask} in its own JVM, so that tests can {@code kill -9} it mid-stream.
 * Arguments: bootstrap servers, application id, input topic, output topic, state dir, sleep ms per model call.
 * Prints {@code RUNNING} once Kafka Streams runs, then runs until killed. With {@code -Dstreamformer.debugKafka=true}
 * (passed on by {@link PipelineProcesses}) it also logs Kafka Streams' and the consumer's INFO lines: rebalances,
 * assignments, restoration.
 */
public final class PipelineProcess {

    public static void main(String[] args) throws Exception {
        QuietKafkaLogs.apply();
        if (Boolean.getBoolean("streamformer.debugKafka")) {
            for (String logger : new String[]{"org.apache.kafka.streams", "org.apache.kafka.clients.consumer"}) {
                ((Logger) LoggerFactory.getLogger(logger)).setLevel(Level.INFO);
            }
            ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator")).setLevel(Level.DEBUG);
        }
        PipelineConfig config = config(args[0], args[1], args[2], args[3], args[4], args.length > 6 ? avro(args[6]) : null);
        var pipeline = new Pipeline(config, new TextStatsTask(Long.parseLong(args[5])));
        var running = new CountDownLatch(1);
        pipeline.kafkaStreams().setStateListener((now, before) -> {
            if (now == org.apache.kafka.streams.KafkaStreams.State.RUNNING) running.countDown();
        });
        pipeline.start();
        running.await();
        System.out.println("RUNNING");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The settings both the child process and the test's in-process instances use. */
    static PipelineConfig config(String bootstrap, String applicationId, String input, String output, String stateDir) {
        return config(bootstrap, applicationId, input, output, stateDir, null);
    }

    /** Records of the Avro schema in {@code schemaFile} (text field {@code text}). */
    static PipelineConfig.Format avro(String schemaFile) {
        return new PipelineConfig.Format("avro", java.util.Map.of("schemaFile", schemaFile, "textField", "text"));
    }

    /** @param format the value format; null: JSON */
    static PipelineConfig config(String bootstrap, String applicationId, String input, String output, String stateDir,
                                 PipelineConfig.Format format) {
        return PipelineConfig.builder()
                .inputTopic(input).outputTopic(output).valueFormat(format)
                .batching(new PipelineConfig.Batching(4096, 16, Duration.ofMillis(300)))
                .streamsConfig("bootstrap.servers", bootstrap)
                .streamsConfig("application.id", applicationId)
                .streamsConfig("state.dir", stateDir)
                // a killed member leaves the group after 6 s instead of 45 s
                .streamsConfig("session.timeout.ms", 6000)
                .streamsConfig("heartbeat.interval.ms", 1000)
                .build();
    }
}
