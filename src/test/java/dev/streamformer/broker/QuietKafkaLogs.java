package dev.streamformer.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for tests that start Kafka: Kafka's own loggers at WARN (an in-process broker plus Kafka Streams write
 * megabytes per second at DEBUG), Streamformer's at INFO so that the tests' timings and counters reach the
 * surefire report. Works whatever logback configuration is on the class path.
 */
public final class QuietKafkaLogs {

    private QuietKafkaLogs() {}

    public static void apply() {
        level(Logger.ROOT_LOGGER_NAME, Level.INFO);
        level("org.apache.kafka", Level.WARN);
        level("kafka", Level.WARN);
        level("state.change.logger", Level.WARN);
        level("dev.streamformer", Level.INFO);
    }

    private static void level(String logger, Level level) {
        if (LoggerFactory.getLogger(logger) instanceof Logger logback) {
            logback.setLevel(level);
        }
    }
}
