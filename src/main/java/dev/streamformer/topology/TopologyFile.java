package dev.streamformer.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a topology file, as written. {@link TopologyLoader} checks it; field comments say the defaults.
 *
 * <pre>{@code
 * name: reviews                       # used in application.id: <kafka application.id or "streamformer-<name>">-<stage>
 * kafka:                              # any Kafka Streams / client property, unchanged
 *   bootstrap.servers: localhost:9092
 * http: {port: 8080, host: 127.0.0.1} # /health, /metrics, status page (port 0: any free port; enabled: false: off;
 *                                     # a host other machines reach needs allowRemote: true)
 * stages:
 *   - name: sentiment
 *     task: classify                  # embed | classify | rerank | entities | generate
 *     model: ../shared/models/sst2-minilm
 *     input: reviews
 *     output: reviews.scored
 *     route: {field: label, topics: {positive: reviews.positive, negative: reviews.negative}}
 *     cache: {enabled: true, maxEntries: 100000}   # results by hash of (model, settings, text); default off
 * }</pre>
 */
public record TopologyFile(String name, Map<String, Object> kafka, Http http, List<Stage> stages) {

    /**
     * The status server: on unless {@code enabled} is false; {@code port} 0 picks any free port; {@code host} defaults to
     * 127.0.0.1 (localhost only).
     */
    public record Http(Boolean enabled, Integer port, String host, Boolean allowRemote) {}

    /**
     * One stage: read {@link Input}, run {@link TaskSettings} with {@link Batching}, write {@link Output}, optionally
     * through a {@link Cache}. This one specification is what a topology file's stage binds to and what
     * {@code streamformer run} builds from its flags; {@link TopologyLoader} checks it once for both.
     *
     * <p>In YAML a stage is one flat mapping: the keys of the task settings, input and output sit beside
     * {@code name} ({@link JsonUnwrapped}; the components' own names are no keys); {@code batching} and {@code cache} are nested mappings.
     */
    public record Stage(String name, @JsonUnwrapped TaskSettings taskSettings, @JsonUnwrapped Input in, Batching batching,
                        @JsonUnwrapped Output out, Cache cache) {}

    /**
     * What runs: {@code task} ({@code embed}, {@code classify}, {@code rerank}, {@code entities}, {@code generate}) on
     * {@code model} with {@code engine}, {@code device}, {@code threads}; {@code overflow} for long texts; the task's own
     * settings ({@code prefix} embed, {@code labels}/{@code allScores}/{@code threshold}/{@code minScore} classify,
     * {@code query} rerank, {@code aggregation} entities, {@code generation} generate).
     */
    public record TaskSettings(@JsonProperty("task") String name, String model, String engine, String device, Integer threads,
                               String overflow, String prefix, String labels, @JsonProperty("allScores") Boolean allScores,
                               Float threshold, @JsonProperty("minScore") Float minScore, String query, String aggregation,
                               Generation generation) {}

    /**
     * What is read and how it becomes text: {@code input} (topics separated by commas) or {@code inputPattern} (a
     * regular expression); {@code valueFormat} {@code json} (default), {@code text} (the whole value is the text),
     * {@code avro}, {@code protobuf} or {@code json-schema} (records of the producer's schema in {@code schemaFile}); {@code textField}
     * (a dotted path or a JSON Pointer) or {@code textTemplate} (the text made from several fields), at most
     * {@code maxTextBytes}; {@code tombstones} {@code pass} (default) or {@code drop}.
     */
    public record Input(@JsonProperty("input") String topics, @JsonProperty("inputPattern") String pattern,
                        @JsonProperty("valueFormat") String valueFormat, @JsonProperty("schemaFile") String schemaFile,
                        @JsonProperty("textField") String textField, @JsonProperty("textTemplate") String textTemplate,
                        @JsonProperty("maxTextBytes") Integer maxTextBytes, String tombstones) {}

    /**
     * Where results go and their shape: {@code output} (or the {@code route}d topics), bad records to {@code dlq}
     * (default {@code <input>.dlq}); {@code outputFormat} {@code json} (default) or {@code text} (the generated text
     * alone, with {@code valueFormat: text}); {@code outputField}, {@code outputHeader} and {@code dropInputFields} place
     * the result; {@code vectorEncoding} ({@code json}, {@code base64-f32}, {@code base64-f16}, {@code int8}) and
     * {@code dimensions} shape an embedding.
     */
    public record Output(@JsonProperty("output") String topic, String dlq, Route route,
                         @JsonProperty("outputFormat") String outputFormat, @JsonProperty("outputField") String outputField,
                         @JsonProperty("outputHeader") String outputHeader, @JsonProperty("dropInputFields") Boolean dropInputFields,
                         @JsonProperty("vectorEncoding") String vectorEncoding, Integer dimensions) {}

    /** The stage's inference cache: off unless {@code enabled}; {@code maxEntries} per input partition (default 100000). */
    public record Cache(Boolean enabled, @JsonProperty("maxEntries") Integer maxEntries) {}

    /** Batch limits: padded tokens per model call, records per batch, longest wait for a batch to fill. */
    public record Batching(@JsonProperty("maxTokens") Integer maxTokens, @JsonProperty("maxRecords") Integer maxRecords,
                           @JsonProperty("maxWaitMs") Integer maxWaitMs) {}

    /** Send each result to the topic its {@code field}'s value maps to; others to the stage's output. */
    public record Route(String field, Map<String, String> topics) {}

    /** Decoding, prompt and chat settings for {@code task: generate}. */
    public record Generation(String template, @JsonProperty("maxNewTokens") Integer maxNewTokens, Float temperature,
                             @JsonProperty("topK") Integer topK, @JsonProperty("topP") Float topP,
                             @JsonProperty("repetitionPenalty") Float repetitionPenalty, Long seed, List<String> stop,
                             @JsonProperty("timeBudgetMs") Integer timeBudgetMs, Boolean chat, String system,
                             @JsonProperty("chatTemplateKwargs") Map<String, Object> chatTemplateKwargs, Boolean details,
                             String quantize, @JsonProperty("ignoreEos") Boolean ignoreEos) {}

    /**
     * The keys of a record as written in YAML, in declaration order, each with the component it binds to: a
     * {@link JsonProperty} name where one is given, and the keys of a {@link JsonUnwrapped} component in its place.
     */
    public static Map<String, RecordComponent> keys(Class<?> type) {
        Map<String, RecordComponent> out = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (annotation(c, JsonUnwrapped.class) != null) {
                out.putAll(keys(c.getType()));
                continue;
            }
            JsonProperty p = annotation(c, JsonProperty.class);
            out.put(p != null && !p.value().isEmpty() ? p.value() : c.getName(), c);
        }
        return out;
    }

    private static <A extends Annotation> A annotation(RecordComponent c, Class<A> type) {
        A a = c.getAnnotation(type);
        return a != null || c.getAccessor() == null ? a : c.getAccessor().getAnnotation(type);
    }
}
