package dev.streamformer.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.EntitiesTask;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TaskSpec;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.GenerateSpec;
import dev.streamformer.task.generate.GenerationConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a topology file. Every mistake is reported as {@code FILE:LINE: key: what is wrong; what is allowed}.
 */
public final class TopologyLoader {

    static final Set<String> TASKS = Set.of("embed", "classify", "rerank", "entities", "generate");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TopologyLoader() {}

    /** A checked stage: the task to build and the pipeline settings (with the kafka block; the caller adds application.id). */
    public record StagePlan(String name, TaskSpec task, PipelineConfig.Builder pipeline) {}

    /** A checked topology; {@code httpPort} null: no status server, 0: any free port. */
    public record Plan(String name, Map<String, Object> kafka, Integer httpPort, String httpHost, List<StagePlan> stages) {}

    public static Plan load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new TopologyException(file + ": cannot be read (" + e.getMessage() + "): check the path.", e);
        }
        return parse(file.toString(), yaml);
    }

    public static Plan parse(String fileName, String yaml) {
        TopologyFile f;
        LineIndex lines = new LineIndex(yaml);
        try {
            f = YAML.readValue(yaml, TopologyFile.class);
        } catch (UnrecognizedPropertyException e) {
            var parent = e.getPath().subList(0, e.getPath().size() - 1);
            throw new TopologyException(fileName + ":" + lines.line(pointer(e.getPath())) + ": " + path(parent) + ": unknown key '"
                    + e.getPropertyName() + "'; allowed here: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")) + ".", e);
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax && !(syntax instanceof JsonMappingException)) {
                int line = syntax.getLocation() == null ? 1 : syntax.getLocation().getLineNr();
                throw new TopologyException(fileName + ":" + line + ": not valid YAML (" + syntax.getOriginalMessage().split("\n")[0] + ").", e);
            }
            throw new TopologyException(fileName + ":" + lines.line(pointer(e.getPath())) + ": " + path(e.getPath()) + ": "
                    + e.getOriginalMessage().split("\n")[0] + " (check the value's type).", e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new TopologyException(fileName + ":" + line + ": not valid YAML (" + e.getOriginalMessage().split("\n")[0] + ").", e);
        }
        if (f == null) throw new TopologyException(fileName + ":1: the file is empty; it needs at least 'stages'.");
        return new Checker(fileName, lines).check(f);
    }

    /** Checks a topology built in code (e.g. from command-line flags); errors name {@code source} instead of a file. */
    public static Plan check(String source, TopologyFile f) {
        return new Checker(source, new LineIndex("")).check(f);
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        return path.stream().map(r -> "/" + (r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex())))
                .collect(Collectors.joining());
    }

    private static String path(List<JsonMappingException.Reference> path) {
        String p = path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return p.isEmpty() ? "(top level)" : p;
    }

    /** Semantic checks, with each error pointing at the line of the offending key. */
    private record Checker(String fileName, LineIndex lines) {

        TopologyException error(String pointer, String key, String message) {
            return new TopologyException(fileName + ":" + lines.line(pointer) + ": " + key + ": " + message);
        }

        Plan check(TopologyFile f) {
            String name = f.name() == null ? "streamformer" : f.name();
            Map<String, Object> kafka = f.kafka() == null ? Map.of() : new LinkedHashMap<>(f.kafka());
            kafka.forEach((k, v) -> {
                if (v == null) throw error("/kafka/" + k, "kafka." + k, "has no value; give one or remove the key.");
            });
            if (f.stages() == null || f.stages().isEmpty()) {
                throw error("/stages", "stages", "no stages; a topology needs at least one stage with task, model, input and output.");
            }
            Integer port = 8080;
            String host = "127.0.0.1";
            if (f.http() != null) {
                if (f.http().port() != null) {
                    port = f.http().port();
                    if (port < 0 || port > 65535) throw error("/http/port", "http.port", "must be 0 (any free port) to 65535, got " + port + ".");
                }
                if (Boolean.FALSE.equals(f.http().enabled())) port = null;
                if (f.http().host() != null) host = f.http().host();
            }
            List<StagePlan> stages = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < f.stages().size(); i++) {
                StagePlan s = stage(f.stages().get(i), "/stages/" + i, "stages[" + i + "]", kafka);
                if (!names.add(s.name())) throw error("/stages/" + i + "/name", "stages[" + i + "].name", "'" + s.name() + "' is used twice; stage names must be unique.");
                stages.add(s);
            }
            return new Plan(name, kafka, port, host, stages);
        }

        StagePlan stage(TopologyFile.Stage s, String at, String key, Map<String, Object> kafka) {
            if (s == null) throw error(at, key, "empty stage; give task, model, input and output.");
            String name = s.name() != null ? s.name() : "stage" + at.substring(at.lastIndexOf('/') + 1);
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw error(at + "/name", key + ".name", "'" + name + "' may hold only letters, digits, '.', '_' and '-' (it becomes part of application.id).");
            }
            String task = s.task() == null ? null : s.task().toLowerCase();
            if (task == null || !TASKS.contains(task)) {
                throw error(at + "/task", key + ".task", (task == null ? "missing" : "'" + task + "' is unknown") + "; use embed, classify, rerank, entities or generate.");
            }
            if (s.model() == null) throw error(at, key + ".model", "missing; give a built-in id (all-minilm-l6-v2, ...) or a model directory.");
            if (s.input() == null) throw error(at, key + ".input", "missing; name the topic to read.");
            if (s.output() == null) throw error(at, key + ".output", "missing; name the topic to write.");
            EngineOptions engine;
            try {
                engine = new EngineOptions(task.equals("generate") ? TaskSpec.generationEngine(s.engine() == null ? "auto" : s.engine(), s.model())
                        : s.engine() == null ? "onnx" : s.engine(),
                        s.device() == null ? "cpu" : s.device(), s.threads() == null ? 0 : s.threads());
            } catch (IllegalArgumentException e) {
                throw error(at + (s.engine() != null ? "/engine" : "/device"), key + ".engine", e.getMessage());
            }
            var b = s.batching();
            int maxTokens = b == null || b.maxTokens() == null ? PipelineConfig.Batching.DEFAULT.maxTokens() : b.maxTokens();
            int maxRecords = b == null || b.maxRecords() == null ? PipelineConfig.Batching.DEFAULT.maxRecords() : b.maxRecords();
            int maxWait = b == null || b.maxWaitMs() == null ? (int) PipelineConfig.Batching.DEFAULT.maxWait().toMillis() : b.maxWaitMs();
            if (maxTokens < 1 || maxRecords < 1 || maxWait < 1) {
                throw error(at + "/batching", key + ".batching", "maxTokens, maxRecords and maxWaitMs must be positive.");
            }
            Overflow overflow;
            try {
                overflow = s.overflow() == null ? Overflow.TRUNCATE : Overflow.parse(s.overflow());
            } catch (IllegalArgumentException e) {
                throw error(at + "/overflow", key + ".overflow", e.getMessage());
            }
            if (s.labels() != null && !task.equals("classify")) {
                throw error(at + "/labels", key + ".labels", "only a classify stage takes labels.");
            }
            if (s.query() != null && !task.equals("rerank")) {
                throw error(at + "/query", key + ".query", "only a rerank stage takes a query.");
            }
            if (s.aggregation() != null) {
                if (!task.equals("entities")) throw error(at + "/aggregation", key + ".aggregation", "only an entities stage takes an aggregation.");
                try {
                    EntitiesTask.Aggregation.parse(s.aggregation());
                } catch (IllegalArgumentException e) {
                    throw error(at + "/aggregation", key + ".aggregation", e.getMessage());
                }
            }
            if (s.generation() != null && !task.equals("generate")) {
                throw error(at + "/generation", key + ".generation", "only a generate stage takes generation settings.");
            }
            GenerationConfig generation = null;
            String template = null;
            GenerateSpec generateSpec = null;
            if (task.equals("generate")) {
                var g = s.generation();
                if (g != null && g.stop() != null && g.stop().contains(null)) {
                    throw error(at + "/generation/stop", key + ".generation.stop", "holds an empty entry; give each stop string as text.");
                }
                try {
                    generation = new GenerationConfig(
                            g == null || g.maxNewTokens() == null ? 64 : g.maxNewTokens(),
                            g == null || g.temperature() == null ? 0f : g.temperature(),
                            g == null || g.topK() == null ? 0 : g.topK(),
                            g == null || g.topP() == null ? 1f : g.topP(),
                            g == null || g.repetitionPenalty() == null ? 1f : g.repetitionPenalty(),
                            g == null || g.seed() == null ? 0L : g.seed(),
                            g == null ? null : g.stop(), true,
                            g == null || g.timeBudgetMs() == null ? null : Duration.ofMillis(g.timeBudgetMs()),
                            unsetSampling(g));
                } catch (IllegalArgumentException e) {
                    throw error(at + "/generation", key + ".generation", e.getMessage());
                }
                template = g == null ? null : g.template();
                try {
                    generateSpec = new GenerateSpec(generation, template,
                            g == null ? null : new ChatPrompt.ChatSettings(Boolean.TRUE.equals(g.chat()), g.system(), g.chatTemplateKwargs()),
                            g != null && Boolean.TRUE.equals(g.details()), Quantization.parse(g == null ? null : g.quantize()));
                } catch (IllegalArgumentException e) {
                    throw error(at + "/generation/quantize", key + ".generation.quantize", e.getMessage());
                }
            }
            TaskSpec spec = new TaskSpec(task, s.model(), engine, new TokenBudget(maxTokens, maxRecords), overflow, s.prefix(),
                    s.labels(), Boolean.TRUE.equals(s.allScores()), s.threshold() == null ? 0.5f : s.threshold(),
                    s.minScore() == null ? 0f : s.minScore(), generateSpec, s.query(), s.aggregation());
            PipelineConfig.Builder pipeline = PipelineConfig.builder()
                    .inputTopic(s.input()).outputTopic(s.output()).deadLetterTopic(s.dlq()).textField(s.textField())
                    .batching(new PipelineConfig.Batching(maxTokens, maxRecords, Duration.ofMillis(maxWait)));
            if (s.maxTextBytes() != null) pipeline.maxTextBytes(s.maxTextBytes());
            if (s.cache() != null) {
                int maxEntries = s.cache().maxEntries() == null ? PipelineConfig.Cache.DEFAULT_MAX_ENTRIES : s.cache().maxEntries();
                if (maxEntries < 1) throw error(at + "/cache/maxEntries", key + ".cache.maxEntries", "must be positive, got " + maxEntries + ".");
                pipeline.cache(new PipelineConfig.Cache(Boolean.TRUE.equals(s.cache().enabled()), maxEntries));
            }
            if (s.route() != null) {
                if (s.route().topics() == null || s.route().topics().isEmpty()) {
                    throw error(at + "/route", key + ".route.topics", "missing; map values to topics, e.g. {positive: reviews.positive}.");
                }
                s.route().topics().forEach((value, topic) -> {
                    if (topic == null || topic.isBlank()) {
                        throw error(at + "/route/topics/" + value, key + ".route.topics." + value, "names no topic; give the topic for this value.");
                    }
                });
                pipeline.routing(new PipelineConfig.Routing(s.route().field() == null ? "label" : s.route().field(), s.route().topics()));
            }
            // the pipeline's own checks (topics set and distinct, positive limits), reported here with a line;
            // the kafka block is applied as the runner will (it may name the dead-letter topic)
            try {
                pipeline.streamsConfig(kafka).build();
            } catch (IllegalArgumentException e) {
                throw error(at, key, e.getMessage());
            }
            return new StagePlan(name, spec, pipeline);
        }
    }

    /** The sampling settings a generation block leaves out: those come from the model's generation_config.json. */
    private static java.util.Set<GenerationConfig.Setting> unsetSampling(TopologyFile.Generation g) {
        var unset = java.util.EnumSet.noneOf(GenerationConfig.Setting.class);
        if (g == null || g.temperature() == null) unset.add(GenerationConfig.Setting.TEMPERATURE);
        if (g == null || g.topK() == null) unset.add(GenerationConfig.Setting.TOP_K);
        if (g == null || g.topP() == null) unset.add(GenerationConfig.Setting.TOP_P);
        if (g == null || g.repetitionPenalty() == null) unset.add(GenerationConfig.Setting.REPETITION_PENALTY);
        return unset;
    }
}
