package dev.streamformer.topology;

import com.fasterxml.jackson.annotation.JsonProperty;

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
     * One stage: read {@code input}, run {@code task} on {@code model}, write {@code output} (or the routed topics),
     * bad records to {@code dlq} (default {@code <input>.dlq}). {@code input} may list several topics separated by
     * commas; {@code inputPattern} (instead of {@code input}) reads every topic matching a regular expression. {@code valueFormat}: {@code json} (default) or
     * {@code text} (the whole value is the text), with {@code outputFormat} {@code json} (default) or {@code text} (the
     * generated text alone); {@code tombstones}: {@code pass} (default) or {@code drop}. {@code textField} may be a
     * dotted path or a JSON Pointer; {@code textTemplate} makes the text from several fields; {@code outputField},
     * {@code outputHeader} and {@code dropInputFields} place the result; {@code vectorEncoding} ({@code json},
     * {@code base64-f32}, {@code base64-f16}, {@code int8}) and {@code dimensions} shape an embedding. {@code valueFormat}
     * {@code avro} or {@code json-schema} reads records of the producer's schema in {@code schemaFile}.
     */
    public record Stage(String name, String task, String model, String engine, String device, Integer threads,
                        String input, String output, String dlq,
                        @JsonProperty("textField") String textField,
                        @JsonProperty("maxTextBytes") Integer maxTextBytes,
                        Batching batching, String overflow, String prefix,
                        String labels, @JsonProperty("allScores") Boolean allScores, Float threshold,
                        @JsonProperty("minScore") Float minScore,
                        Route route, Generation generation, Cache cache, String query, String aggregation,
                        @JsonProperty("valueFormat") String valueFormat, @JsonProperty("outputFormat") String outputFormat,
                        String tombstones, @JsonProperty("textTemplate") String textTemplate,
                        @JsonProperty("outputField") String outputField, @JsonProperty("outputHeader") String outputHeader,
                        @JsonProperty("dropInputFields") Boolean dropInputFields,
                        @JsonProperty("vectorEncoding") String vectorEncoding, Integer dimensions,
                        @JsonProperty("inputPattern") String inputPattern,
                        @JsonProperty("schemaFile") String schemaFile) {}

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
}
