package dev.streamformer.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.event.BatchInference;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;
import dev.streamformer.event.ValueFormat;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.Task;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.tracing.BatchTrace;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node {@value #NAME}: collects valid events into batches by the {@link dev.streamformer.task.TokenBudget} rule, runs
 * the task on each batch, and sends each record on to {@code enrich} or, if the model failed on it alone, to the
 * dead-letter topic.
 *
 * <h2>One tokenization, one parse</h2>
 * Each event arrives parsed, and is {@linkplain Task#prepare prepared} (tokenized) once here: the batcher plans with
 * its token count and hands the prepared text to the task at the flush. Both wait in memory next to the store; only
 * records restored from the changelog (after a crash or a rebalance) are parsed and tokenized again from their bytes.
 *
 * <h2>Exactly once with batching</h2>
 * A record that waits for its batch-mates has already been read, and its input offset will be committed at the
 * next commit. So the waiting record itself must be part of the committed state, or a crash would lose it. Here,
 * the pending batch <em>is</em> a key-value store, {@value #PENDING_STORE} (RocksDB), with a
 * changelog topic:
 * <ul>
 *   <li>{@code process} puts the record (its original bytes) into the store (key: a per-task sequence number, so batches keep input
 *       order). Under {@code exactly_once_v2} the store's changelog write, the consumer offset and any output are
 *       in one Kafka transaction.</li>
 *   <li>A flush (batch full, or its oldest record waited long enough, checked by a wall-clock punctuator: see
 *       {@link #flushIfWaitedLongEnough})
 *       reads the store, deletes the entries, runs the model and forwards the results: the deletes (tombstones
 *       in the changelog) and the outputs are again in one transaction.</li>
 *   <li>Crash before a commit: the transaction aborts; the store is rebuilt from the committed changelog and the
 *       input is re-read from the committed offset, so the record is either still in the input or still
 *       pending, never both and never neither. Crash after a commit: the record is in the store and a later
 *       flush (here or on whichever instance gets the partition after a rebalance) emits it once.</li>
 *   <li>Clean shutdown or rebalance: nothing special is needed; what is pending stays in the changelog and the
 *       next owner of the task flushes it. {@link #init} recounts the restored store.</li>
 *   <li>A changelog value that cannot be read back (corrupt, or written by a version with another layout) is
 *       restored as an unreadable {@link PendingRecord}; the next flush sends its raw bytes to the dead-letter topic
 *       (stage {@code restore}, reason {@value PendingRecord#CORRUPT}) and deletes it like any other, so it neither
 *       fails the task nor comes back at the next restore.</li>
 *   <li>Likewise a changelog key that is not a sequence number ({@link PendingKeys}: not 8 bytes, or negative): the
 *       restored entry is counted as pending, and the next flush deletes it and sends its raw key and value to the
 *       dead-letter topic (same stage and reason) before the batch runs.</li>
 * </ul>
 * There is one pending batch per stream task (input partition); all tasks share the one thread-safe {@link Task}.
 * The changelog is compacted and uses small segments, so restoring it reads little more than what is pending.
 * The store is persistent so that Kafka Streams keeps its process id, hence its transactional id, across restarts:
 * a restarted instance fences its crashed predecessor's open transaction at once (measured: see the chaos test).
 *
 * <h2>Inference cache (optional)</h2>
 * With the stage's {@link InferenceCache} on, a record whose text is cached while no batch is pending goes to
 * {@code enrich} at once, without tokenizing or batching. Otherwise it joins the batch as usual, and the flush
 * looks each text up first: hits take the cached fields, the misses run the model (a text that appears several
 * times in one batch runs once), and each fresh result is put into the cache in the same transaction as the output.
 * Either way the records leave in input order, and a hit's output equals the miss's.
 *
 * <h2>Bounded work per poll</h2>
 * A model inside a stream thread is the classic way to exceed {@code max.poll.interval.ms} and be thrown out of
 * the group. The work between two polls is bounded in three ways:
 * <ol>
 *   <li>one {@code process} or punctuation call runs at most one batch, and a batch holds at most
 *       {@code maxTokens} padded tokens and {@code maxRecords} records (bisection after a failure costs at most
 *       log2(maxRecords)+1 times that);</li>
 *   <li>Kafka Streams' own loop goes back to {@code poll()} once half of {@code max.poll.interval.ms} has passed
 *       since the last poll, whatever is still buffered;</li>
 *   <li>so the worst case between polls is half the interval plus one batch. Choose {@code maxTokens} so that
 *       one batch takes well under that (the defaults, 8192 padded tokens / 64 records, are one model call, the
 *       size the command line runs at, against a 300 s interval); a flush slower than a quarter of the interval is logged
 *       as a warning with this advice. The same bound keeps transactions short (Streams' EOS
 *       {@code transaction.timeout.ms} is 10 s).</li>
 * </ol>
 */
final class BatchInferenceProcessor implements Processor<byte[], ParseValidateProcessor.ValidEvent, byte[], Object> {

    static final String NAME = "batch-infer";
    static final String PENDING_STORE = "pending-batch";
    /** The sink that writes tombstones (null values) unchanged to the output topic. */
    static final String TOMBSTONE_SINK = "pass-tombstones";

    private static final Logger log = LoggerFactory.getLogger(BatchInferenceProcessor.class);

    private final Task task;
    private final EventParser parser;
    private final PipelineConfig.Batching limits;
    private final TokenBudget budget;
    private final PipelineMetrics metrics;
    private final InferenceCache cache; // null: the stage has no cache

    private ProcessorContext<byte[], Object> context;
    private FormatRetry retry;
    private KeyValueStore<Bytes, PendingRecord> pending;
    /** Restored entries whose key is not a sequence number ({@link PendingKeys}): dead letters at the next flush. */
    private final List<KeyValue<Bytes, PendingRecord>> badKeys = new ArrayList<>();
    /** The parsed, prepared form of the pending records this instance added, by sequence number; not of restored ones. */
    private final Map<Long, ReadyEvent> ready = new HashMap<>();
    private long slowFlushMillis;
    // in-memory summary of the store, rebuilt from it in init(); live keys are [firstSequence, nextSequence)
    private long firstSequence;
    private long nextSequence;
    private int pendingRecords;
    private int pendingLongest;
    private long oldestPendingSinceMs;
    private boolean addedSinceLastTick;

    /** A pending event as the model needs it: as its format read it, and its prepared text. */
    private record ReadyEvent(ValueFormat.Decoded decoded, PreparedText input) {}

    /** A record of a batch, ready for the model. */
    private record BatchEntry(PendingRecord record, ReadyEvent event) {}

    BatchInferenceProcessor(Task task, EventParser parser, PipelineConfig.Batching limits, PipelineMetrics metrics,
                            InferenceCache cache) {
        this.task = task;
        this.parser = parser;
        this.limits = limits;
        this.budget = limits.budget();
        this.metrics = metrics;
        this.cache = cache;
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.pending = context.getStateStore(PENDING_STORE);
        this.retry = FormatRetry.of(context, metrics);
        Object maxPollInterval = context.appConfigs().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
        this.slowFlushMillis = (maxPollInterval == null ? 300_000 : Long.parseLong(maxPollInterval.toString())) / 4;
        ready.clear();
        recountPendingStore();
        if (cache != null) {
            cache.init(context);
        }
        long tickMs = Math.clamp(limits.maxWait().toMillis() / 4, 5, 1_000);
        context.schedule(Duration.ofMillis(tickMs), PunctuationType.WALL_CLOCK_TIME, this::flushIfWaitedLongEnough);
    }

    @Override
    public void process(Record<byte[], ParseValidateProcessor.ValidEvent> record) {
        if (record.value().tombstone()) {
            passTombstone(record);
            return;
        }
        DeadLetters.Source source = DeadLetters.Source.of(context);
        EventParser.ParsedEvent event = record.value().event();
        var pendingRecord = new PendingRecord(record.key(), record.value().raw(), record.timestamp(), record.headers(), source, 0);
        if (cache != null && pendingRecords == 0 && emittedFromCache(event, pendingRecord)) {
            return;
        }
        PreparedText input;
        try {
            input = task.prepare(event.text());
        } catch (RuntimeException e) {
            DeadLetters.send(context, metrics, pendingRecord, DeadLetters.Stage.TOKENIZE, BatchInference.TOKENIZER_FAILURE, e, task.modelId(), 0);
            return;
        }
        if (pendingRecords > 0 && !budget.fits(Math.max(pendingLongest, input.tokens()), pendingRecords + 1)) {
            flush();
        }
        long sequence = nextSequence++;
        pending.put(PendingKeys.of(sequence), pendingRecord.withTokens(input.tokens()));
        ready.put(sequence, new ReadyEvent(event.decoded(), input));
        if (pendingRecords++ == 0) {
            oldestPendingSinceMs = context.currentSystemTimeMs();
        }
        pendingLongest = Math.max(pendingLongest, input.tokens());
        addedSinceLastTick = true;
        if (!budget.fits(pendingLongest, pendingRecords + 1)) {
            flush(); // no record fits any more
        }
    }

    /**
     * Writes a tombstone after the records read before it (the pending batch is flushed first), so that on a compacted
     * output topic a delete is never overtaken by an older record of its key.
     */
    private void passTombstone(Record<byte[], ParseValidateProcessor.ValidEvent> record) {
        if (pendingRecords > 0) {
            flush();
        }
        context.forward(new Record<>(record.key(), null, record.timestamp(), record.headers()), TOMBSTONE_SINK);
        metrics.tombstone(true);
    }

    /** With nothing pending (so no order to keep), a cached text goes straight to {@code enrich}. */
    private boolean emittedFromCache(EventParser.ParsedEvent event, PendingRecord record) {
        ObjectNode cached = cache.get(cache.key(event.text()));
        if (cached == null) {
            return false; // counted as a miss (or a hit) when its batch is flushed
        }
        metrics.cacheHit();
        forwardEnriched(new BatchEntry(record, new ReadyEvent(event.decoded(), PreparedText.counted(event.text(), 0))), cached, record.headers());
        return true;
    }

    /**
     * A partial batch is flushed by time once its oldest record has waited {@code maxWait} <em>and</em> no record
     * joined it since the last tick, i.e. this partition's input has paused. While records keep joining, the batch
     * fills up instead: under a backlog the thread is often busy running another partition's batch while this one
     * waits, and flushing then would only make small batches and cut throughput. The wait stays bounded: records
     * that keep the batch open arrive at least once per tick, so it is full after at most {@code maxRecords} ticks
     * (a tick is {@code maxWait}/4, clamped to 5 ms – 1 s). A flush by time also asks for a commit.
     */
    private void flushIfWaitedLongEnough(long nowMs) {
        boolean inputPaused = !addedSinceLastTick;
        addedSinceLastTick = false;
        if (pendingRecords > 0 && inputPaused && nowMs - oldestPendingSinceMs >= limits.maxWait().toMillis()) {
            flush();
            // the input has paused, so the thread has time: commit now instead of at the next commit.interval.ms, and
            // read_committed consumers see these results at once. Under a backlog batches flush by size, and commits
            // keep to the interval (where a commit per batch would cost throughput).
            context.commit();
        }
    }

    /** Empties the store into one model batch (records restored from a changelog may make several). */
    private void flush() {
        deadLetterBadKeys();
        List<KeyValue<Bytes, PendingRecord>> entries = new ArrayList<>(pendingRecords);
        if (nextSequence > firstSequence) {
            // a range from the first live key, not all(): RocksDB then skips the tombstones of earlier batches
            try (KeyValueIterator<Bytes, PendingRecord> live = pending.range(PendingKeys.of(firstSequence), PendingKeys.of(nextSequence - 1))) {
                live.forEachRemaining(entries::add);
            }
        }
        for (KeyValue<Bytes, PendingRecord> entry : entries) {
            pending.delete(entry.key);
        }
        firstSequence = nextSequence;
        pendingRecords = 0;
        pendingLongest = 0;

        List<BatchEntry> batch = new ArrayList<>();
        int longest = 0;
        for (KeyValue<Bytes, PendingRecord> entry : entries) {
            BatchEntry ready = readyEntry(PendingKeys.sequence(entry.key), entry.value);
            if (ready == null) {
                continue;
            }
            int tokens = ready.event.input().tokens();
            if (!batch.isEmpty() && !budget.fits(Math.max(longest, tokens), batch.size() + 1)) {
                runBatch(batch);
                batch = new ArrayList<>();
                longest = 0;
            }
            batch.add(ready);
            longest = Math.max(longest, tokens);
        }
        if (!batch.isEmpty()) {
            runBatch(batch);
        }
    }

    /**
     * Deletes the restored entries whose key is not a sequence number and sends each to the dead-letter topic as it
     * was in the changelog: its key bytes, and its value bytes (written again by the serde when they were readable,
     * which gives the bytes that were read).
     */
    private void deadLetterBadKeys() {
        if (badKeys.isEmpty()) {
            return;
        }
        String changelog = changelogTopic();
        var serializer = PendingRecord.serde().serializer();
        for (KeyValue<Bytes, PendingRecord> entry : badKeys) {
            pending.delete(entry.key);
            byte[] value = entry.value.unreadable() != null ? entry.value.value() : serializer.serialize(changelog, entry.value);
            var raw = new PendingRecord(entry.key.get(), value, context.currentSystemTimeMs(), new RecordHeaders(),
                    new DeadLetters.Source(changelog, context.taskId().partition(), -1), 0, null);
            DeadLetters.send(context, metrics, raw, DeadLetters.Stage.RESTORE, PendingRecord.CORRUPT,
                    new IllegalStateException(PendingKeys.whyNot(entry.key, changelog)), null, 0);
        }
        log.warn("Task {}: {} pending-batch records in {} had a key that is not a sequence number; sent to the dead-letter topic",
                context.taskId(), badKeys.size(), changelog);
        pendingRecords -= badKeys.size();
        badKeys.clear();
    }

    /** Kafka Streams' name for the pending store's changelog topic. */
    private String changelogTopic() {
        return context.applicationId() + "-" + PENDING_STORE + "-changelog";
    }

    /**
     * A pending record ready for the model: as {@link #process} left it, or, restored from the changelog, parsed and
     * prepared again from its bytes; null when that fails or the stored bytes cannot be read (the record is then a
     * dead letter).
     */
    private BatchEntry readyEntry(long sequence, PendingRecord record) {
        ReadyEvent event = ready.remove(sequence);
        if (event != null) {
            return new BatchEntry(record, event);
        }
        if (record.unreadable() != null) {
            // a changelog value this build cannot read (corrupt, or another version's layout): its raw bytes are a
            // dead letter, and its tombstone (from flush) keeps the next restore from meeting it again
            var where = new DeadLetters.Source(record.source().topic(), context.taskId().partition(), -1);
            DeadLetters.send(context, metrics, record.withSource(where), DeadLetters.Stage.RESTORE, PendingRecord.CORRUPT,
                    new IllegalStateException(record.unreadable()), null, 0);
            return null;
        }
        EventParser.ParsedEvent parsed;
        try {
            // these bytes passed the parser before they were stored; they can fail now only if a restart changed the
            // rules, e.g. a lower byte limit: then they are dead letters too
            parsed = retry.call(() -> parser.parse(record.source().topic(), record.value()));
        } catch (InvalidEventException e) {
            DeadLetters.send(context, metrics, record, DeadLetters.Stage.PARSE, e.reason(), e, null, 0);
            return null;
        }
        try {
            return new BatchEntry(record, new ReadyEvent(parsed.decoded(), task.prepare(parsed.text())));
        } catch (RuntimeException e) {
            DeadLetters.send(context, metrics, record, DeadLetters.Stage.TOKENIZE, BatchInference.TOKENIZER_FAILURE, e, task.modelId(), 0);
            return null;
        }
    }

    private void runBatch(List<BatchEntry> batch) {
        BatchInference.Outcome[] outcomes = new BatchInference.Outcome[batch.size()];
        var work = new ModelWork();
        for (int i = 0; i < batch.size(); i++) {
            PreparedText input = batch.get(i).event.input();
            if (cache == null) {
                work.add(null, input, i);
                continue;
            }
            Bytes key = cache.key(input.text());
            ObjectNode cached = cache.get(key);
            if (cached != null) {
                metrics.cacheHit();
                outcomes[i] = new BatchInference.Outcome.Enriched(cached);
            } else if (work.add(key, input, i)) {
                metrics.cacheMiss();
            } else {
                metrics.cacheHit(); // the same text earlier in this batch: it runs once for both
            }
        }
        // a span per batch and per record when tracing is on; the output carries the record span's traceparent
        BatchTrace trace = BatchTrace.start(task.name(), task.modelId(), () -> batch.stream().map(e -> e.record.headers()).toList(),
                () -> batch.stream().mapToLong(e -> e.event.input().tokens()).sum());
        if (!work.inputs.isEmpty()) {
            runModel(work, outcomes);
        }
        for (int i = 0; i < batch.size(); i++) {
            BatchEntry entry = batch.get(i);
            switch (outcomes[i]) {
                case BatchInference.Outcome.Enriched enriched ->
                        forwardEnriched(entry, enriched.fields(), trace.headers(i, entry.record.headers(), tokens(entry), null));
                case BatchInference.Outcome.Failed failed -> DeadLetters.send(context, metrics,
                        entry.record.withHeaders(trace.headers(i, entry.record.headers(), tokens(entry), failed.reason())),
                        DeadLetters.Stage.INFER, failed.reason(), failed.error(), task.modelId(), tokens(entry));
            }
        }
        trace.end();
    }

    private void forwardEnriched(BatchEntry entry, ObjectNode fields, Headers headers) {
        PendingRecord record = entry.record;
        context.forward(new Record<>(record.key(), new EnrichProcessor.InferredEvent(entry.event.decoded(), entry.event.input().text(),
                fields, record), record.timestamp(), headers), EnrichProcessor.NAME);
    }

    private static int tokens(BatchEntry entry) {
        return entry.event.input().tokens();
    }

    /**
     * The distinct texts of a batch that the model must run, and which records each one answers. Without a cache
     * every record is its own text; with one, records with the same text (the same cache key) share one run.
     */
    private static final class ModelWork {
        final List<PreparedText> inputs = new ArrayList<>();
        final List<Bytes> keys = new ArrayList<>();
        final List<List<Integer>> records = new ArrayList<>();
        final Map<Bytes, Integer> inputByKey = new HashMap<>();
        int tokens;
        int longest;

        /** Returns false when the record's text is already in this batch (then it shares that run). */
        boolean add(Bytes key, PreparedText input, int record) {
            Integer known = key == null ? null : inputByKey.get(key);
            if (known != null) {
                records.get(known).add(record);
                return false;
            }
            if (key != null) {
                inputByKey.put(key, inputs.size());
            }
            inputs.add(input);
            keys.add(key);
            records.add(new ArrayList<>(List.of(record)));
            tokens += input.tokens();
            longest = Math.max(longest, input.tokens());
            return true;
        }
    }

    /** Runs the model on the work's texts and gives each record its outcome; fresh results go into the cache. */
    private void runModel(ModelWork work, BatchInference.Outcome[] outcomes) {
        long start = System.nanoTime();
        BatchInference.Result result = BatchInference.run(task, work.inputs);
        long nanos = System.nanoTime() - start;
        metrics.batch(work.inputs.size(), work.tokens, work.longest, result.modelCalls(), nanos);
        if (nanos / 1_000_000 > slowFlushMillis) {
            log.warn("A batch of {} records ({} tokens, {} model calls) took {} ms, over a quarter of max.poll.interval.ms: "
                    + "lower the batch token budget.", work.inputs.size(), work.tokens, result.modelCalls(), nanos / 1_000_000);
        }
        for (int t = 0; t < work.inputs.size(); t++) {
            BatchInference.Outcome outcome = result.outcomes().get(t);
            if (cache != null && outcome instanceof BatchInference.Outcome.Enriched enriched) {
                outcome = new BatchInference.Outcome.Enriched(cache.put(work.keys.get(t), enriched.fields()));
            }
            for (int record : work.records.get(t)) {
                outcomes[record] = outcome;
            }
        }
    }

    private void recountPendingStore() {
        pendingRecords = 0;
        pendingLongest = 0;
        long pendingTokens = 0;
        firstSequence = Long.MAX_VALUE;
        nextSequence = 0;
        badKeys.clear();
        try (KeyValueIterator<Bytes, PendingRecord> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, PendingRecord> entry = all.next();
                pendingRecords++; // a bad key too: it keeps the batch non-empty, so that a flush dead-letters it
                long sequence = PendingKeys.sequence(entry.key);
                if (sequence == PendingKeys.NOT_A_SEQUENCE) {
                    badKeys.add(entry);
                    continue;
                }
                firstSequence = Math.min(firstSequence, sequence);
                pendingTokens += entry.value.tokens();
                pendingLongest = Math.max(pendingLongest, entry.value.tokens());
                nextSequence = Math.max(nextSequence, sequence + 1);
            }
        }
        firstSequence = Math.min(firstSequence, nextSequence);
        oldestPendingSinceMs = context.currentSystemTimeMs();
        if (pendingRecords > 0) {
            metrics.restoredPending(pendingRecords);
            log.info("Task {}: {} records ({} tokens) restored in the pending batch", context.taskId(), pendingRecords, pendingTokens);
        }
    }
}
