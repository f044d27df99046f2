package dev.streamformer.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.event.Enrichment;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.VectorEncoding;
import dev.streamformer.streams.PipelineConfig;
import dev.streamformer.task.ClassifyTask;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.EntitiesTask;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TaskSpec;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.GenerateSpec;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.PromptTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /**
     * A checked topology; {@code httpPort} null: no status server, 0: any free port; {@code httpAllowRemote}: the status
     * server may listen on an address other machines reach.
     */
    public record Plan(String name, Map<String, Object> kafka, Integer httpPort, String httpHost, boolean httpAllowRemote,
                       List<StagePlan> stages) {}

    public static Plan load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new TopologyException(file + ": cannot be read (" + e.getMessage() + "): check the path.", e);
        }
        return parse(file.toString(), yaml, true);
    }

    /** Checks a topology file's text without looking at the file system (model paths are not checked). */
    public static Plan parse(String fileName, String yaml) {
        return parse(fileName, yaml, false);
    }

    /**
     * Reads and checks a topology file's text: every mistake is collected (unknown keys, wrong types, values out of
     * range, missing settings and, with {@code checkModels}, model paths that do not exist) and thrown together.
     */
    public static Plan parse(String fileName, String yaml, boolean checkModels) {
        LineIndex lines = new LineIndex(yaml);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            throw new TopologyException(fileName + ":" + line + ": not valid YAML (" + e.getOriginalMessage().split("\n")[0]
                    + "); fix the syntax at this line (indentation, a missing ':' or closing bracket).", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new TopologyException(fileName + ":1: the file is empty; it needs at least 'stages'.");
        }
        Problems problems = new Problems(fileName, lines);
        if (!(root instanceof ObjectNode top)) {
            problems.add("", "(top level)", "must be a mapping with keys " + String.join(", ", Shape.fields(TopologyFile.class).keySet()) + ".");
            problems.throwIfAny();
            throw new AssertionError();
        }
        lines.duplicates().forEach((pointer, line) -> problems.add(pointer + "#repeat", line, key(pointer),
                "given twice in the same mapping (first on line " + lines.line(pointer) + "); keep one, the last one would win."));
        new Shape(problems).checkRecord(top, TopologyFile.class, "", "");
        TopologyFile f;
        try {
            f = YAML.treeToValue(top, TopologyFile.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // the shape check removed every value of the wrong type; anything left is reported as found
            problems.add("", "(top level)", "cannot be read (" + e.getMessage().split("\n")[0] + ").");
            problems.throwIfAny();
            throw new AssertionError(e);
        }
        return new Checker(problems, checkModels).check(f);
    }

    /** {@code /stages/0/model} as the user writes it: {@code stages[0].model}. */
    private static String key(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.matches("\\d+")) sb.append('[').append(name).append(']');
            else sb.append(sb.isEmpty() ? "" : ".").append(name);
        }
        return sb.toString();
    }

    /** Checks a topology built in code (e.g. from command-line flags); errors name {@code source} instead of a file. */
    public static Plan check(String source, TopologyFile f) {
        return new Checker(new Problems(source, new LineIndex("")), false).check(f);
    }

    /** Semantic checks, each mistake pointing at the line of the offending key; all are collected, then thrown. */
    private record Checker(Problems problems, boolean checkModels) {

        void error(String pointer, String key, String message) {
            problems.add(pointer, key, message);
        }

        Plan check(TopologyFile f) {
            String name = f.name() == null ? "streamformer" : f.name();
            Map<String, Object> kafka = f.kafka() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(f.kafka());
            kafka.forEach((k, v) -> {
                if (v == null) error("/kafka/" + Shape.escape(k), "kafka." + k, "has no value; give one or remove the key.");
                if (v instanceof Map<?, ?>) {
                    error("/kafka/" + Shape.escape(k), "kafka." + k, "is a mapping; Kafka properties are flat: write the whole name,"
                            + " e.g. " + k + ".ms: 1000 instead of nesting.");
                }
            });
            kafka.values().removeIf(v -> v == null || v instanceof Map<?, ?>); // reported; the stages are still checked without them
            Integer port = 8080;
            String host = "127.0.0.1";
            boolean allowRemote = false;
            if (f.http() != null) {
                allowRemote = Boolean.TRUE.equals(f.http().allowRemote());
                if (f.http().port() != null) {
                    port = f.http().port();
                    if (port < 0 || port > 65535) error("/http/port", "http.port", "must be 0 (any free port) to 65535, got " + port + ".");
                }
                if (Boolean.FALSE.equals(f.http().enabled())) port = null;
                if (f.http().host() != null) host = f.http().host();
            }
            List<StagePlan> stages = new ArrayList<>();
            if (f.stages() == null || f.stages().isEmpty()) {
                if (!problems.reported("/stages")) {
                    error("/stages", "stages", (f.stages() == null ? "missing" : "empty")
                            + "; a topology needs at least one stage with task, model, input and output.");
                }
            } else {
                Set<String> names = new HashSet<>();
                for (int i = 0; i < f.stages().size(); i++) {
                    String at = "/stages/" + i, key = "stages[" + i + "]";
                    TopologyFile.Stage s = f.stages().get(i);
                    if (s == null) {
                        error(at, key, "empty stage; give task, model, input and output.");
                        continue;
                    }
                    String stageName = s.name() != null ? s.name() : "stage" + i;
                    if (!names.add(stageName)) error(at + "/name", key + ".name", "'" + stageName + "' is used twice; stage names must be unique.");
                    StagePlan plan = stage(s, stageName, at, key, kafka);
                    if (plan != null) stages.add(plan);
                }
            }
            problems.throwIfAny();
            return new Plan(name, kafka, port, host, allowRemote, stages);
        }

        /** The checked stage, or null when it has a mistake (reported). */
        StagePlan stage(TopologyFile.Stage s, String name, String at, String key, Map<String, Object> kafka) {
            int before = problems.size();
            if (!name.matches("[A-Za-z0-9._-]+")) {
                error(at + "/name", key + ".name", "'" + name + "' may hold only letters, digits, '.', '_' and '-' (it becomes part of application.id).");
            }
            String task = s.task() == null ? null : s.task().toLowerCase(Locale.ROOT);
            if (task == null || !TASKS.contains(task)) {
                String near = task == null ? null : Shape.closest(task, TASKS.stream().sorted().toList());
                error(at + "/task", key + ".task", (task == null ? "missing" : "'" + task + "' is unknown"
                        + (near == null ? "" : " (did you mean '" + near + "'?)")) + "; use embed, classify, rerank, entities or generate.");
                task = null;
            }
            if (s.model() == null) {
                error(at + "/model", key + ".model", "missing; give a built-in id (" + String.join(", ", ModelRegistry.BUILT_IN)
                        + ") or a model directory.");
            } else if (checkModels) {
                checkModel(s.model(), task, at + "/model", key + ".model");
            }
            if (s.input() == null && s.inputPattern() == null) {
                error(at + "/input", key + ".input", "missing; name the topic to read (several: separated by commas), or an inputPattern.");
            }
            if (s.output() == null) error(at + "/output", key + ".output", "missing; name the topic to write.");
            if (s.threads() != null && s.threads() < 0) {
                error(at + "/threads", key + ".threads", "must be 0 (one per core) or a positive number of threads, got " + s.threads() + ".");
            }
            EngineOptions engine = null;
            if (s.device() != null && !s.device().toLowerCase(Locale.ROOT).matches("cpu|cuda")) {
                error(at + "/device", key + ".device", "'" + s.device() + "' is unknown; use cpu or cuda.");
            } else if (s.engine() != null && !s.engine().toLowerCase(Locale.ROOT).matches("onnx|java|auto")) {
                error(at + "/engine", key + ".engine", "'" + s.engine() + "' is unknown; use onnx, java or auto.");
            } else {
                try {
                    String requested = s.engine() == null ? (task != null && task.equals("generate") ? "auto" : "onnx") : s.engine();
                    engine = new EngineOptions("generate".equals(task) ? TaskSpec.generationEngine(requested, s.model()) : requested,
                            s.device() == null ? "cpu" : s.device(), s.threads() == null ? 0 : Math.max(0, s.threads()));
                } catch (IllegalArgumentException e) {
                    error(at + "/engine", key + ".engine", e.getMessage());
                }
            }
            var b = s.batching();
            int maxTokens = positive(b == null ? null : b.maxTokens(), PipelineConfig.Batching.DEFAULT.maxTokens(),
                    at + "/batching/maxTokens", key + ".batching.maxTokens", "padded tokens per model call");
            int maxRecords = positive(b == null ? null : b.maxRecords(), PipelineConfig.Batching.DEFAULT.maxRecords(),
                    at + "/batching/maxRecords", key + ".batching.maxRecords", "records per batch");
            int maxWait = positive(b == null ? null : b.maxWaitMs(), (int) PipelineConfig.Batching.DEFAULT.maxWait().toMillis(),
                    at + "/batching/maxWaitMs", key + ".batching.maxWaitMs", "milliseconds");
            Integer maxTextBytes = s.maxTextBytes() == null ? null : positive(s.maxTextBytes(), 1, at + "/maxTextBytes", key + ".maxTextBytes",
                    "bytes of UTF-8 per text");
            Overflow overflow = Overflow.TRUNCATE;
            if (s.overflow() != null) {
                try {
                    overflow = Overflow.parse(s.overflow());
                } catch (IllegalArgumentException e) {
                    error(at + "/overflow", key + ".overflow", e.getMessage());
                }
            }
            if (s.labels() != null) {
                if (task != null && !task.equals("classify")) {
                    error(at + "/labels", key + ".labels", "only a classify stage takes labels; remove it or use task: classify.");
                } else {
                    try {
                        ClassifyTask.ZeroShot.parse(s.labels());
                    } catch (IllegalArgumentException e) {
                        error(at + "/labels", key + ".labels", "not LABEL=DESCRIPTION pairs; write at least two, separated by commas, e.g."
                                + " \"positive=a happy review,negative=an unhappy review\".");
                    }
                }
            }
            if (s.query() != null && task != null && !task.equals("rerank")) {
                error(at + "/query", key + ".query", "only a rerank stage takes a query; remove it or use task: rerank.");
            }
            if (s.aggregation() != null) {
                if (task != null && !task.equals("entities")) {
                    error(at + "/aggregation", key + ".aggregation", "only an entities stage takes an aggregation; remove it or use task: entities.");
                } else {
                    try {
                        EntitiesTask.Aggregation.parse(s.aggregation());
                    } catch (IllegalArgumentException e) {
                        error(at + "/aggregation", key + ".aggregation", e.getMessage());
                    }
                }
            }
            if (s.threshold() != null && !(s.threshold() >= 0 && s.threshold() <= 1)) {
                error(at + "/threshold", key + ".threshold", "must be in [0, 1] (a probability), got " + s.threshold() + ".");
            }
            if (s.minScore() != null && !(s.minScore() >= 0 && s.minScore() <= 1)) {
                error(at + "/minScore", key + ".minScore", "must be in [0, 1] (a probability; 0 turns it off), got " + s.minScore() + ".");
            }
            if (s.generation() != null && task != null && !task.equals("generate")) {
                error(at + "/generation", key + ".generation", "only a generate stage takes generation settings; remove it or use task: generate.");
            }
            GenerateSpec generateSpec = "generate".equals(task) ? generation(s.generation(), at + "/generation", key + ".generation") : null;
            Integer maxEntries = null;
            if (s.cache() != null) {
                maxEntries = positive(s.cache().maxEntries(), PipelineConfig.Cache.DEFAULT_MAX_ENTRIES, at + "/cache/maxEntries",
                        key + ".cache.maxEntries", "entries per input partition");
            }
            // checked here, and used below only when whole: its mistake may be reported under a misspelt key instead
            boolean routeUsable = false;
            if (s.route() != null) {
                if (s.route().topics() == null || s.route().topics().isEmpty()) {
                    error(at + "/route", key + ".route.topics", "missing; map values to topics, e.g. {positive: reviews.positive}.");
                } else {
                    routeUsable = true;
                    for (Map.Entry<String, String> entry : s.route().topics().entrySet()) {
                        if (entry.getValue() == null || entry.getValue().isBlank()) {
                            error(at + "/route/topics/" + Shape.escape(entry.getKey()), key + ".route.topics." + entry.getKey(),
                                    "names no topic; give the topic for this value.");
                            routeUsable = false;
                        }
                    }
                }
            }
            PipelineConfig.Format valueFormat = valueFormat(s, at, key);
            PipelineConfig.Tombstones tombstones = PipelineConfig.Tombstones.PASS;
            if (s.tombstones() != null) {
                try {
                    tombstones = PipelineConfig.Tombstones.parse(s.tombstones());
                } catch (IllegalArgumentException e) {
                    error(at + "/tombstones", key + ".tombstones", e.getMessage());
                }
            }
            Enrichment enrichment = enrichment(s, at, key);
            String textTemplate = s.textTemplate();
            if (generateSpec != null && generateSpec.template() != null && PromptTemplate.namesOtherFields(generateSpec.template())) {
                // the task sees only the text: a prompt over other fields is rendered by the event core, as the text
                if (textTemplate != null) {
                    error(at + "/generation/template", key + ".generation.template", "names fields other than {text} while the stage"
                            + " has a textTemplate too: put the fields into one of them.");
                } else {
                    textTemplate = PromptTemplate.asTextTemplate(generateSpec.template(),
                            s.textField() == null ? PipelineConfig.DEFAULT_TEXT_FIELD : s.textField());
                    generateSpec = generateSpec.withTemplate(null);
                }
            }
            if (problems.size() > before) return null;

            TaskSpec spec = new TaskSpec(task, s.model(), engine, new TokenBudget(maxTokens, maxRecords), overflow, s.prefix(),
                    s.labels(), Boolean.TRUE.equals(s.allScores()), s.threshold() == null ? 0.5f : s.threshold(),
                    s.minScore() == null ? 0f : s.minScore(), generateSpec, s.query(), s.aggregation());
            PipelineConfig.Builder pipeline = PipelineConfig.builder()
                    .inputTopic(s.input()).inputPattern(s.inputPattern()).outputTopic(s.output()).deadLetterTopic(s.dlq()).textField(s.textField()).textTemplate(textTemplate)
                    .batching(new PipelineConfig.Batching(maxTokens, maxRecords, Duration.ofMillis(maxWait)));
            if (maxTextBytes != null) pipeline.maxTextBytes(maxTextBytes);
            pipeline.valueFormat(valueFormat).tombstones(tombstones).enrichment(enrichment);
            if (s.cache() != null) pipeline.cache(new PipelineConfig.Cache(Boolean.TRUE.equals(s.cache().enabled()), maxEntries));
            if (routeUsable) {
                pipeline.routing(new PipelineConfig.Routing(s.route().field() == null ? "label" : s.route().field(), s.route().topics()));
            }
            // the pipeline's own checks (topics set and distinct), reported here with a line;
            // the kafka block is applied as the runner will (it may name the dead-letter topic)
            try {
                pipeline.streamsConfig(kafka).build();
            } catch (IllegalArgumentException e) {
                error(at, key, e.getMessage());
                return null;
            }
            return new StagePlan(name, spec, pipeline);
        }

        /** Where the stage's result goes and how its embeddings are written; a mistake is reported (and null returned). */
        Enrichment enrichment(TopologyFile.Stage s, String at, String key) {
            VectorEncoding.Kind kind = VectorEncoding.Kind.JSON;
            if (s.vectorEncoding() != null) {
                try {
                    kind = VectorEncoding.Kind.parse(s.vectorEncoding());
                } catch (IllegalArgumentException e) {
                    error(at + "/vectorEncoding", key + ".vectorEncoding", e.getMessage());
                }
            }
            int dimensions = s.dimensions() == null ? 0 : positive(s.dimensions(), 0, at + "/dimensions", key + ".dimensions",
                    "numbers of the embedding to keep");
            try {
                return new Enrichment(s.outputField(), s.outputHeader(), Boolean.TRUE.equals(s.dropInputFields()),
                        new VectorEncoding(kind, dimensions));
            } catch (IllegalArgumentException e) {
                error(at + "/outputHeader", key + ".outputHeader", e.getMessage());
                return null;
            }
        }

        /** The stage's value format and its settings; a mistake is reported (and null returned). */
        PipelineConfig.Format valueFormat(TopologyFile.Stage s, String at, String key) {
            var settings = new java.util.LinkedHashMap<String, String>();
            if (s.outputFormat() != null) settings.put("outputFormat", s.outputFormat());
            if (s.schemaFile() != null) settings.put("schemaFile", s.schemaFile());
            if (s.schemaFile() != null && s.textTemplate() == null) { // the schema must have the text field: checked at startup
                settings.put("textField", s.textField() == null ? EventParser.DEFAULT_TEXT_FIELD : s.textField());
            }
            try {
                return new PipelineConfig.Format(s.valueFormat() == null ? PipelineConfig.Format.JSON.name() : s.valueFormat(), settings);
            } catch (IllegalArgumentException e) {
                error(at + (s.valueFormat() == null ? "/outputFormat" : "/valueFormat"),
                        key + (s.valueFormat() == null ? ".outputFormat" : ".valueFormat"), e.getMessage());
                return null;
            }
        }

        /** A positive whole number (or {@code fallback} when absent); a mistake is reported and the fallback used. */
        int positive(Integer value, int fallback, String pointer, String key, String unit) {
            if (value == null) return fallback;
            if (value < 1) {
                error(pointer, key, "must be a positive whole number (" + unit + "), got " + value + ".");
                return fallback;
            }
            return value;
        }

        /** A model that is neither a built-in id nor a directory, or a built-in id given to generate. */
        void checkModel(String model, String task, String pointer, String key) {
            boolean builtIn = ModelRegistry.BUILT_IN.contains(model);
            if ("generate".equals(task)) {
                if (builtIn) {
                    error(pointer, key, "'" + model + "' is an embedding model; generate needs a decoder directory (GPT-2, T5 or"
                            + " Llama style, with config.json and tokenizer.json).");
                } else if (!Files.isDirectory(Path.of(model))) {
                    error(pointer, key, "'" + model + "' does not exist (looked for " + Path.of(model).toAbsolutePath().normalize()
                            + "); give the path of a decoder directory, relative to the directory you run streamformer in.");
                }
                return;
            }
            if (builtIn || Files.isDirectory(Path.of(model))) return;
            String near = Shape.closest(model, ModelRegistry.BUILT_IN);
            if (near == null) near = siblingLike(Path.of(model));
            error(pointer, key, "'" + model + "' is neither a built-in id nor a directory (looked for "
                    + Path.of(model).toAbsolutePath().normalize() + ")" + (near == null ? "" : "; did you mean '" + near + "'?")
                    + " Use a built-in id (" + String.join(", ", ModelRegistry.BUILT_IN)
                    + ") or the path of a model directory, relative to the directory you run streamformer in.");
        }

        /** A directory beside a mistyped model path whose name is close to it ({@code sst2-minlm} → {@code sst2-minilm}). */
        static String siblingLike(Path model) {
            Path parent = model.toAbsolutePath().normalize().getParent();
            if (parent == null || model.getFileName() == null || !Files.isDirectory(parent)) return null;
            try (var children = Files.list(parent)) {
                List<String> names = children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
                String near = Shape.closest(model.getFileName().toString(), names);
                return near == null ? null : (model.getParent() == null ? near : model.getParent().resolve(near).toString());
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The generation settings, each range checked with its own line; null when one is wrong. */
        GenerateSpec generation(TopologyFile.Generation g, String at, String key) {
            int before = problems.size();
            if (g != null) {
                if (g.maxNewTokens() != null && g.maxNewTokens() < 1) {
                    error(at + "/maxNewTokens", key + ".maxNewTokens", "must be a positive whole number, got " + g.maxNewTokens() + ".");
                }
                if (g.temperature() != null && !(g.temperature() >= 0)) {
                    error(at + "/temperature", key + ".temperature", "must be 0 (greedy) or positive, got " + g.temperature() + ".");
                }
                if (g.topK() != null && g.topK() < 0) {
                    error(at + "/topK", key + ".topK", "must be 0 (off) or a positive whole number, got " + g.topK() + ".");
                }
                if (g.topP() != null && !(g.topP() > 0 && g.topP() <= 1)) {
                    error(at + "/topP", key + ".topP", "must be in (0, 1] (1 is off), got " + g.topP() + ".");
                }
                if (g.repetitionPenalty() != null && !(g.repetitionPenalty() > 0)) {
                    error(at + "/repetitionPenalty", key + ".repetitionPenalty", "must be positive (1 is off), got " + g.repetitionPenalty() + ".");
                }
                if (g.timeBudgetMs() != null && g.timeBudgetMs() < 1) {
                    error(at + "/timeBudgetMs", key + ".timeBudgetMs", "must be a positive whole number of milliseconds, got " + g.timeBudgetMs() + ".");
                }
                if (g.stop() != null) {
                    for (int i = 0; i < g.stop().size(); i++) {
                        if (g.stop().get(i) == null || g.stop().get(i).isEmpty()) {
                            error(at + "/stop/" + i, key + ".stop[" + i + "]", "is empty; give each stop string as text, e.g. [\"\\n\"].");
                        }
                    }
                }
                if (g.quantize() != null) {
                    try {
                        Quantization.parse(g.quantize());
                    } catch (IllegalArgumentException e) {
                        error(at + "/quantize", key + ".quantize", e.getMessage());
                    }
                }
            }
            if (problems.size() > before) return null;
            GenerationConfig generation;
            try {
                generation = new GenerationConfig(
                        g == null || g.maxNewTokens() == null ? 64 : g.maxNewTokens(),
                        g == null || g.temperature() == null ? 0f : g.temperature(),
                        g == null || g.topK() == null ? 0 : g.topK(),
                        g == null || g.topP() == null ? 1f : g.topP(),
                        g == null || g.repetitionPenalty() == null ? 1f : g.repetitionPenalty(),
                        g == null || g.seed() == null ? 0L : g.seed(),
                        g == null ? null : g.stop(), g == null || !Boolean.TRUE.equals(g.ignoreEos()),
                        g == null || g.timeBudgetMs() == null ? null : Duration.ofMillis(g.timeBudgetMs()),
                        unsetSampling(g));
            } catch (IllegalArgumentException e) {
                error(at, key, e.getMessage());
                return null;
            }
            return new GenerateSpec(generation, g == null ? null : g.template(),
                    g == null ? null : new ChatPrompt.ChatSettings(Boolean.TRUE.equals(g.chat()), g.system(), g.chatTemplateKwargs()),
                    g != null && Boolean.TRUE.equals(g.details()), Quantization.parse(g == null ? null : g.quantize()));
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
