package dev.streamformer.streams;

import dev.streamformer.event.Enrichment;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.FieldPath;
import dev.streamformer.event.TextTemplate;
import dev.streamformer.event.ValueFormats;
import dev.streamformer.task.TokenBudget;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything one enrichment pipeline needs besides its {@link dev.streamformer.task.Task}.
 *
 * <pre>{@code
 * PipelineConfig config = PipelineConfig.builder()
 *         .inputTopic("events").outputTopic("events.enriched")          // DLQ defaults to "events.dlq"
 *         .batching(new PipelineConfig.Batching(8192, 64, Duration.ofMillis(50)))
 *         .streamsConfig("bootstrap.servers", "localhost:9092")           // any Kafka Streams / client key
 *         .streamsConfig("application.id", "streamformer-embed")
 *         .build();
 * }</pre>
 *
 * @param inputTopic       the topic to read, or several separated by commas; null when {@code inputPattern} is set
 * @param inputPattern     read every topic whose whole name matches this regular expression (topics created later
 *                         too); null when {@code inputTopic} is set
 * @param deadLetterTopic  where bad records go: as set, else Kafka's {@code errors.dead.letter.queue.topic.name}
 *                         from the streams config, else {@code <input>.dlq} ({@link #inputName()})
 * @param textField        the JSON field holding the text (default {@code text}): a name, a dotted path or a JSON Pointer
 * @param textTemplate     the text made from several fields, e.g. {@code "{title}\n\n{body}"}; null: the text field
 * @param maxTextBytes     texts longer than this in UTF-8 are dead-lettered (default 64 KiB)
 * @param routing          send each result to a topic chosen by one of its fields; null: all to {@code outputTopic}
 * @param cache            the optional inference cache (default: off), see {@link InferenceCache}
 * @param valueFormat      how record values are read and written (default: {@code json})
 * @param enrichment       where the result goes (fields added to the event by default) and how embeddings are encoded
 * @param tombstones       what happens to a record with a null value (default: passed through to the output topic)
 * @param streamsConfig    Kafka Streams and client settings, passed through unchanged
 */
public record PipelineConfig(String inputTopic, String inputPattern, String outputTopic, String deadLetterTopic, String textField,
                             String textTemplate, int maxTextBytes, Batching batching, Routing routing, Cache cache,
                             Format valueFormat, Enrichment enrichment, Tombstones tombstones, Map<String, Object> streamsConfig) {

    public static final String DEFAULT_TEXT_FIELD = EventParser.DEFAULT_TEXT_FIELD;
    public static final int DEFAULT_MAX_TEXT_BYTES = EventParser.DEFAULT_MAX_TEXT_BYTES;

    /**
     * How records are grouped for the model: by the one rule of {@link TokenBudget} (padded tokens
     * {@code longest × records} at most {@code maxTokens}, at most {@code maxRecords} records), the same limits and
     * defaults as the {@code run} flags ({@code --max-tokens}, {@code --max-batch}), topology files and the command line.
     * A batch is flushed when the next record would not fit, when it is full, or when its oldest record has waited
     * {@code maxWait} and the input has paused (while input keeps coming the batch fills up instead). A single record
     * over {@code maxTokens} is run alone. A flushed batch is one model call when the task plans with the same limits
     * (as {@code run} and topology files set them).
     *
     * <p>These also bound the work a stream thread does between two polls of Kafka: see {@link BatchInferenceProcessor}.
     */
    public record Batching(int maxTokens, int maxRecords, Duration maxWait) {
        public static final Batching DEFAULT = new Batching(TokenBudget.DEFAULT.maxTokens(), TokenBudget.DEFAULT.maxBatchSize(),
                Duration.ofMillis(50));

        public Batching {
            if (maxTokens < 1 || maxRecords < 1) {
                throw new IllegalArgumentException("Batch limits must be positive: max tokens " + maxTokens + ", max records " + maxRecords + ".");
            }
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("The batch max wait must be positive, got " + maxWait.toMillis() + " ms.");
            }
        }

        /** The rule these limits stand for. */
        public TokenBudget budget() {
            return new TokenBudget(maxTokens, maxRecords);
        }
    }

    /**
     * Route each enriched record by the value of one result field, e.g. {@code label} of a classifier:
     * {@code topicsByValue} maps values to topics; other values (or a missing field) go to the output topic.
     */
    public record Routing(String field, Map<String, String> topicsByValue) {
        public Routing {
            Objects.requireNonNull(field, "routing field");
            topicsByValue = Map.copyOf(topicsByValue);
        }
    }

    /**
     * The inference cache of a stage: results kept by a hash of (model, task settings, text), so that replays,
     * rebalances and duplicate texts skip the model. {@code maxEntries} bounds each input partition's store; the
     * oldest entries are evicted first. See {@link InferenceCache}.
     */
    public record Cache(boolean enabled, int maxEntries) {
        public static final int DEFAULT_MAX_ENTRIES = 100_000;
        public static final Cache OFF = new Cache(false, DEFAULT_MAX_ENTRIES);

        public Cache {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("The cache's maxEntries must be positive, got " + maxEntries + ".");
            }
        }
    }

    /**
     * A stage's value format by name ({@link ValueFormats}: {@code json}, {@code text}, and any a provider adds) and its
     * settings by name (e.g. {@code outputFormat}); an unknown name or a wrong setting is refused here, at startup.
     */
    public record Format(String name, Map<String, String> settings) {
        public static final Format JSON = new Format(ValueFormats.DEFAULT, Map.of());

        public Format {
            settings = Map.copyOf(settings);
            ValueFormats.create(name, settings);
        }
    }

    /**
     * Records with a null value: deletes of a compacted topic. {@code PASS} (the default) writes them unchanged to the
     * output topic, in order with the events around them, so that a compacted enrichment topic sees the delete;
     * {@code DROP} drops them (counted). Never a dead letter.
     */
    public enum Tombstones {
        PASS, DROP;

        /** {@code pass} or {@code drop}, as the flag and the topology file write it. */
        public static Tombstones parse(String name) {
            return switch (name) {
                case "pass" -> PASS;
                case "drop" -> DROP;
                default -> throw new IllegalArgumentException("Unknown tombstone handling '" + name
                        + "': use pass or drop (--tombstones; topology file: tombstones).");
            };
        }
    }

    public PipelineConfig {
        if ((inputTopic == null) == (inputPattern == null)) {
            throw new IllegalArgumentException(inputTopic == null
                    ? "The input topic is not set: name a Kafka topic (--input-topic), several separated by commas, or a pattern (--input-pattern)."
                    : "Both an input topic and an input pattern are set: keep one (--input-topic or --input-pattern).");
        }
        if (inputTopic != null) {
            require(inputTopic, "input topic");
        } else {
            try {
                Pattern.compile(inputPattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("The input pattern '" + inputPattern + "' is not a regular expression ("
                        + e.getDescription() + "): fix it, e.g. events\\..* for every topic that starts with events.");
            }
        }
        require(outputTopic, "output topic");
        streamsConfig = Map.copyOf(streamsConfig);
        if (deadLetterTopic == null) {
            Object kafkaDlq = streamsConfig.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            deadLetterTopic = kafkaDlq != null ? kafkaDlq.toString() : topicSafe(inputTopic != null ? inputTopic : inputPattern) + ".dlq";
        }
        textField = textField == null ? DEFAULT_TEXT_FIELD : textField;
        batching = batching == null ? Batching.DEFAULT : batching;
        cache = cache == null ? Cache.OFF : cache;
        valueFormat = valueFormat == null ? Format.JSON : valueFormat;
        tombstones = tombstones == null ? Tombstones.PASS : tombstones;
        enrichment = enrichment == null ? Enrichment.DEFAULT : enrichment;
        FieldPath.parse(textField);
        if (textTemplate != null) {
            TextTemplate.parse(textTemplate);
        }
        if (valueFormat.name().equals("text") && (!textField.equals(DEFAULT_TEXT_FIELD) || textTemplate != null)) {
            throw new IllegalArgumentException("--value-format text reads the whole value as the text: drop --text-field and"
                    + " --text-template (topology file: textField, textTemplate), or read JSON with --value-format json.");
        }
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException("The text byte limit must be positive, got " + maxTextBytes + ".");
        }
        for (String sink : new String[] {outputTopic, deadLetterTopic}) {
            if (inputTopic != null ? topics(inputTopic).contains(sink) : Pattern.matches(inputPattern, sink)) {
                throw new IllegalArgumentException("The input " + (inputTopic != null ? "topic '" + sink + "'" : "pattern '" + inputPattern
                        + "' matches '" + sink + "', which") + " must differ from the output and dead-letter topics.");
            }
        }
    }

    /**
     * The Kafka Streams properties: the user's, unchanged, over these defaults: {@code processing.guarantee=exactly_once_v2},
     * {@code commit.interval.ms=1000}, {@code poll.ms=10}, {@code application.id=streamformer-<input topic>},
     * {@code processing.exception.handler.global.enabled=true}, and for the main consumer {@code max.poll.records} of
     * two batches (2 × {@code maxRecords}) and {@code max.partition.fetch.bytes} of 64 KiB, unless the user sets these
     * keys in any form (plain, {@code consumer.}, {@code main.consumer.}).
     */
    public Properties streamsProperties() {
        var props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Streams' exactly-once default is 100 ms, i.e. a transaction commit after nearly every model batch: measured
        // 9-10 % of the stream thread's time (bench pipeline: pipeline/raw 0.77x); at 1 s, 3 % (0.86x). The price is up
        // to a second more before read_committed consumers see a result; set commit.interval.ms=100 to pay less of it.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // With no new records a stream thread blocks in poll() for up to poll.ms (100 ms by default), and a partial batch
        // waiting for its max wait, and the commit after it, wait with it. 10 ms costs an idle thread 100 wake-ups a
        // second and takes most of that wait out of every quiet event's latency (bench latency: p50 74 -> 31 ms).
        props.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        // the behaviour Kafka 5.0 makes the default; setting it now silences Streams' start-up warning
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // ... and again for the main consumer: Kafka 4.4's partition assignor re-reads the Streams config from the
        // consumer's settings alone and would log the same warning on every start
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // A stream thread polls again only once it has processed every record the last poll returned (or after half of
        // max.poll.interval.ms), and it answers a rebalance only when it polls. With Kafka's 1,000 records per poll, a
        // model at 100-200 records/s keeps the thread away for 5-10 s: in a rebalance its JoinGroup response then waits
        // unread while the member sends no heartbeats, the coordinator expires it after session.timeout.ms, and it has
        // to rejoin as a new member, which starts the next rebalance (measured: a kill -9 took 68-94 s to recover from
        // with a 6 s session timeout). Two batches per poll bound the time between polls to about two model batches.
        mainConsumerDefault(props, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords(batching));
        // The consumer hands out one partition's fetched chunk (up to max.partition.fetch.bytes, 1 MiB by default) before
        // the next partition's, and Kafka Streams drains what a poll returned before polling again: with small polls, a
        // backlog of small events (1 MiB is 7,000 events of 150 bytes) then keeps a model busy on one partition for
        // minutes while the thread's other partitions wait. Smaller chunks take the partitions in turn.
        mainConsumerDefault(props, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        props.putAll(streamsConfig);
        if (!props.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("No Kafka to connect to: set bootstrap.servers (e.g. --bootstrap-servers localhost:9092).");
        }
        return props;
    }

    /** The main consumer's {@code max.partition.fetch.bytes} unless set: 64 KiB (Kafka: 1 MiB). */
    static final int MAX_PARTITION_FETCH_BYTES = 64 * 1024;

    /** Sets a main-consumer default unless the user's config has the key plain, {@code consumer.}- or {@code main.consumer.}-prefixed. */
    private void mainConsumerDefault(Properties props, String key, Object value) {
        if (!streamsConfig.containsKey(key) && !streamsConfig.containsKey(StreamsConfig.consumerPrefix(key))
                && !streamsConfig.containsKey(StreamsConfig.mainConsumerPrefix(key))) {
            props.put(StreamsConfig.mainConsumerPrefix(key), value);
        }
    }

    /** Records per poll of the main consumer unless set: two batches (at least 2, at most Kafka's default of 1,000). */
    static int maxPollRecords(Batching batching) {
        return (int) Math.clamp(2L * batching.maxRecords(), 2, 1_000);
    }

    /** The Kafka Streams {@code application.id}: as set in the streams config, else {@code streamformer-<input name>}. */
    public String applicationId() {
        return String.valueOf(streamsConfig.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "streamformer-" + inputName()));
    }

    /** The input topics as listed; empty for a pattern. */
    public List<String> inputTopics() {
        return inputTopic == null ? List.of() : topics(inputTopic);
    }

    /** Whether this pipeline reads {@code topic}: one of its topics, or a match of its pattern. */
    public boolean reads(String topic) {
        return inputTopic != null ? inputTopics().contains(topic) : Pattern.matches(inputPattern, topic);
    }

    /**
     * The input as people read it and as names are made from it (application.id, dead-letter topic): the topic, the
     * topics or the pattern, with every character a topic name cannot hold as {@code -} ({@code a,b} is {@code a-b}).
     */
    public String inputName() {
        return topicSafe(inputTopic != null ? inputTopic : inputPattern);
    }

    private static List<String> topics(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    private static String topicSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "-");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names sensitive settings (passwords, JAAS configs, keys, tokens) but never shows their values. */
    @Override
    public String toString() {
        var shown = new TreeMap<String, Object>();
        streamsConfig.forEach((key, value) -> shown.put(key, SECRET_KEY.matcher(key).find() ? "[hidden]" : value));
        return "PipelineConfig[input=" + (inputTopic != null ? inputTopic : "pattern " + inputPattern) + ", output=" + outputTopic + ", deadLetters=" + deadLetterTopic
                + ", textField=" + textField + (textTemplate == null ? "" : ", textTemplate=" + textTemplate)
                + ", maxTextBytes=" + maxTextBytes + ", " + batching + ", routing=" + routing + ", " + cache
                + ", " + valueFormat + ", " + enrichment + ", tombstones=" + tombstones + ", streamsConfig=" + shown + "]";
    }

    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|jaas|credential|token|user\\.info|\\.key$",
            Pattern.CASE_INSENSITIVE);

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The " + what + " is not set: name a Kafka topic.");
        }
    }

    /** Fluent builder; unset values get the defaults above. */
    public static final class Builder {
        private String inputTopic;
        private String inputPattern;
        private String outputTopic;
        private String deadLetterTopic;
        private String textField;
        private String textTemplate;
        private Enrichment enrichment;
        private int maxTextBytes = DEFAULT_MAX_TEXT_BYTES;
        private Batching batching;
        private Routing routing;
        private Cache cache;
        private Format valueFormat;
        private Tombstones tombstones;
        private final Map<String, Object> streamsConfig = new LinkedHashMap<>();

        public Builder inputTopic(String topic) { this.inputTopic = topic; return this; }

        public Builder inputPattern(String regex) { this.inputPattern = regex; return this; }

        public Builder outputTopic(String topic) { this.outputTopic = topic; return this; }

        public Builder deadLetterTopic(String topic) { this.deadLetterTopic = topic; return this; }

        public Builder textField(String field) { this.textField = field; return this; }

        public Builder textTemplate(String template) { this.textTemplate = template; return this; }

        public Builder enrichment(Enrichment placement) { this.enrichment = placement; return this; }

        public Builder maxTextBytes(int bytes) { this.maxTextBytes = bytes; return this; }

        public Builder batching(Batching batching) { this.batching = batching; return this; }

        public Builder routing(Routing routing) { this.routing = routing; return this; }

        public Builder cache(Cache cache) { this.cache = cache; return this; }

        public Builder valueFormat(Format format) { this.valueFormat = format; return this; }

        public Builder tombstones(Tombstones handling) { this.tombstones = handling; return this; }

        public Builder streamsConfig(String key, Object value) { streamsConfig.put(key, value); return this; }

        public Builder streamsConfig(Map<?, ?> config) {
            config.forEach((k, v) -> streamsConfig.put(k.toString(), v));
            return this;
        }

        public PipelineConfig build() {
            return new PipelineConfig(inputTopic, inputPattern, outputTopic, deadLetterTopic, textField, textTemplate, maxTextBytes, batching, routing,
                    cache, valueFormat, enrichment, tombstones, streamsConfig);
        }
    }
}
