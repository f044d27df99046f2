package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.metrics.EventFeed;
import dev.streamformer.metrics.FeedEvent;
import dev.streamformer.metrics.StreamformerMetrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one pipeline has done: simple counters the CLI prints (records in, out and dead-lettered, tokens, model
 * calls, cache hits) and, once {@link #reportTo} is called, the same events in the process's
 * {@link StreamformerMetrics} (labelled by stage) and in an {@link EventFeed} of the last enriched events. Shared by
 * all stream threads of one pipeline.
 *
 * <p>They count work done, not committed results: after a crash the records of an aborted transaction are
 * processed again and counted again. The exactly-once guarantee is on the topics, not on these numbers.
 */
public final class PipelineMetrics {

    /** Where a pipeline reports besides its own counters. */
    private record Reporting(StreamformerMetrics metrics, String stage, EventFeed feed) {}

    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder modelCalls = new LongAdder();
    private final LongAdder inferenceNanos = new LongAdder();
    private final LongAdder restoredPending = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder formatRetries = new LongAdder();
    private final LongAdder tombstonesPassed = new LongAdder();
    private final LongAdder tombstonesDropped = new LongAdder();
    private volatile String formatUnavailable;
    private volatile Reporting reporting;

    /**
     * A consistent-enough view for printing.
     *
     * @param restoredPending records found waiting in a pending batch when a task started (left by a crash, a
     *                        shutdown or another instance before a rebalance), flushed since
     * @param cacheHits       records whose result came from the inference cache (0 when the cache is off)
     */
    public record Counters(long recordsIn, long recordsOut, long deadLetters, long tokens, long batches,
                           long modelCalls, long inferenceMillis, long restoredPending, long cacheHits, long cacheMisses) {}

    public Counters snapshot() {
        return new Counters(recordsIn.sum(), recordsOut.sum(), deadLetters.sum(), tokens.sum(), batches.sum(),
                modelCalls.sum(), inferenceNanos.sum() / 1_000_000, restoredPending.sum(), cacheHits.sum(), cacheMisses.sum());
    }

    /**
     * From now on, also record into {@code metrics} under the label {@code stage=<stage>} and push each enriched
     * event into {@code feed} (null: no feed).
     */
    public void reportTo(StreamformerMetrics metrics, String stage, EventFeed feed) {
        metrics.initStage(stage);
        this.reporting = new Reporting(metrics, stage, feed);
    }

    void recordIn() {
        recordsIn.increment();
        Reporting r = reporting;
        if (r != null) r.metrics().recordIn(r.stage());
    }

    /** One enriched event written: its key, text and the task's fields (for the feed's label and score). */
    void recordOut(byte[] key, String text, ObjectNode fields) {
        recordsOut.increment();
        Reporting r = reporting;
        if (r == null) return;
        r.metrics().recordOut(r.stage());
        if (r.feed() != null) {
            String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
            JsonNode label = fields.get("label");
            JsonNode score = fields.get("score");
            r.feed().push(new FeedEvent(Instant.now(), r.stage(), keyText, text,
                    label != null && label.isTextual() ? label.asText() : null,
                    score != null && score.isNumber() ? score.doubleValue() : null));
        }
    }

    /** One record sent to the dead-letter topic; {@code reason} is the short code of its error header. */
    void deadLetter(String reason) {
        deadLetters.increment();
        Reporting r = reporting;
        if (r != null) r.metrics().recordDlq(r.stage(), reason);
    }

    /** The stage's value format failed for now ({@code why}: its sentence) and the record waits for a retry. */
    void formatUnavailable(String why) {
        formatRetries.increment();
        formatUnavailable = why;
        Reporting r = reporting;
        if (r != null) r.metrics().formatRetry(r.stage());
    }

    /** A tombstone (null value) passed through to the output topic, or dropped. */
    void tombstone(boolean passed) {
        (passed ? tombstonesPassed : tombstonesDropped).increment();
        Reporting r = reporting;
        if (r != null) r.metrics().tombstone(r.stage(), passed ? "passed" : "dropped");
    }

    /** Tombstones passed through to the output topic. */
    public long tombstonesPassed() {
        return tombstonesPassed.sum();
    }

    /** Tombstones dropped ({@code --tombstones drop}). */
    public long tombstonesDropped() {
        return tombstonesDropped.sum();
    }

    /** The stage's value format works (again). */
    void formatAvailable() {
        formatUnavailable = null;
    }

    /** Why the stage's value format cannot read or write records for now; null while it can. */
    public String formatUnavailable() {
        return formatUnavailable;
    }

    /** How many times a record waited for its value format to become available again. */
    public long formatRetries() {
        return formatRetries.sum();
    }

    void restoredPending(int records) { restoredPending.add(records); }

    void cacheHit() {
        cacheHits.increment();
        Reporting r = reporting;
        if (r != null) r.metrics().cacheHit(r.stage());
    }

    void cacheMiss() {
        cacheMisses.increment();
        Reporting r = reporting;
        if (r != null) r.metrics().cacheMiss(r.stage());
    }

    /** One model batch: {@code records} texts of {@code batchTokens} tokens in {@code calls} model calls (bisection). */
    void batch(int records, int batchTokens, int calls, long nanos) {
        batch(records, batchTokens, 0, calls, nanos);
    }

    /** As {@link #batch(int, int, int, long)}, with the longest text's tokens (for the padding the batch costs). */
    void batch(int records, int batchTokens, int longestTokens, int calls, long nanos) {
        batches.increment();
        tokens.add(batchTokens);
        modelCalls.add(calls);
        inferenceNanos.add(nanos);
        Reporting r = reporting;
        if (r != null) {
            int padding = longestTokens <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) records * longestTokens - batchTokens);
            r.metrics().recordBatch(r.stage(), records, batchTokens, padding, nanos / 1e9);
        }
    }
}
