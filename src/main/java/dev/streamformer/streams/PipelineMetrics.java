package dev.streamformer.streams;

import java.util.concurrent.atomic.LongAdder;

/**
 * Simple counters the CLI prints: records in, out and dead-lettered, tokens and model calls. Shared by all stream
 * threads of one pipeline.
 *
 * <p>They count work done, not committed results: after a crash the records of an aborted transaction are
 * processed again and counted again. The exactly-once guarantee is on the topics, not on these numbers.
 */
public final class PipelineMetrics {

    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder recordsOut = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder modelCalls = new LongAdder();
    private final LongAdder inferenceNanos = new LongAdder();
    private final LongAdder restoredPending = new LongAdder();

    /**
     * A consistent-enough view for printing.
     *
     * @param restoredPending records found waiting in a pending batch when a task started (left by a crash, a
     *                        shutdown or another instance before a rebalance), flushed since
     */
    public record Counters(long recordsIn, long recordsOut, long deadLetters, long tokens, long batches,
                           long modelCalls, long inferenceMillis, long restoredPending) {}

    public Counters snapshot() {
        return new Counters(recordsIn.sum(), recordsOut.sum(), deadLetters.sum(), tokens.sum(), batches.sum(),
                modelCalls.sum(), inferenceNanos.sum() / 1_000_000, restoredPending.sum());
    }

    void recordIn() { recordsIn.increment(); }

    void recordOut() { recordsOut.increment(); }

    void deadLetter() { deadLetters.increment(); }

    void restoredPending(int records) { restoredPending.add(records); }

    void batch(int batchTokens, int calls, long nanos) {
        batches.increment();
        tokens.add(batchTokens);
        modelCalls.add(calls);
        inferenceNanos.add(nanos);
    }
}
