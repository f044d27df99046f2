package dev.streamformer.streams;

import dev.streamformer.event.FormatUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Runs a value-format call again while it fails for now ({@link FormatUnavailableException}, e.g. a schema registry
 * that does not answer): with backoff from {@value #FIRST_BACKOFF_MS} ms doubling to {@value #MAX_BACKOFF_MS} ms, the
 * stage marked unavailable meanwhile (its {@code /health} is then DOWN). The record is never dead-lettered or dropped.
 *
 * <p>The waiting holds the stream thread, so it is bounded like a batch: after {@code giveUpAfterMs} (a quarter of
 * {@code max.poll.interval.ms}) the exception leaves the thread; {@link Pipeline} then replaces the thread, whose open
 * transaction rolls back, and the new thread reads the record again from the last committed offset.
 */
final class FormatRetry {

    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(FormatRetry.class);

    private final PipelineMetrics metrics;
    private final long giveUpAfterMs;

    FormatRetry(PipelineMetrics metrics, long giveUpAfterMs) {
        this.metrics = metrics;
        this.giveUpAfterMs = giveUpAfterMs;
    }

    /** The retry of a processor: it gives up after a quarter of the consumer's {@code max.poll.interval.ms}. */
    static FormatRetry of(ProcessorContext<?, ?> context, PipelineMetrics metrics) {
        Object maxPollInterval = context.appConfigs().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        return new FormatRetry(metrics, (maxPollInterval == null ? 300_000 : Long.parseLong(maxPollInterval.toString())) / 4);
    }

    <T> T call(Supplier<T> formatCall) {
        long waitedMs = 0;
        long backoffMs = FIRST_BACKOFF_MS;
        while (true) {
            try {
                T result = formatCall.get();
                metrics.formatAvailable();
                return result;
            } catch (FormatUnavailableException e) {
                metrics.formatUnavailable(e.getMessage());
                if (waitedMs >= giveUpAfterMs) {
                    throw e;
                }
                if (waitedMs == 0) {
                    log.warn("The value format is unavailable ({}); retrying with backoff, nothing is dead-lettered meanwhile", e.getMessage());
                }
                sleep(backoffMs);
                waitedMs += backoffMs;
                backoffMs = Math.min(2 * backoffMs, MAX_BACKOFF_MS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FormatUnavailableException("Interrupted while waiting for the value format to become available.", e);
        }
    }
}
