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
import dev.streamformer.task.factory.TaskSpec;
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

        /**
         * The checked stage, or null when it has a mistake (reported): its task settings become the {@link TaskSpec},
         * everything else the {@link PipelineConfig}; each group of {@link TopologyFile.Stage} is checked by its own method.
         */
        StagePlan stage(TopologyFile.Stage s, String name, String at, String key, Map<String, Object> kafka) {
            int before = problems.size();
            if (!name.matches("[A-Za-z0-9._-]+")) {
                error(at + "/name", key + ".name", "'" + name + "' may hold only letters, digits, '.', '_' and '-' (it becomes part of application.id).");
            }
            TopologyFile.Input in = s.in();
            TopologyFile.Output out = s.out();
            String task = taskName(s.taskSettings(), at, key);
            PipelineConfig.Batching batching = batching(s.batching(), at, key);
            TaskSpec spec = taskSpec(s.taskSettings(), task, batching.budget(), at, key);
            if (in.topics() == null && in.pattern() == null) {
                error(at + "/input", key + ".input", "missing; name the topic to read (several: separated by commas), or an inputPattern.");
            }
            if (out.topic() == null) error(at + "/output", key + ".output", "missing; name the topic to write.");
            PipelineConfig.Cache cache = cache(s.cache(), at, key);
            PipelineConfig.Routing routing = routing(out.route(), at, key);
            PipelineConfig.Format valueFormat = valueFormat(in, out, at, key);
            PipelineConfig.Tombstones tombstones = tombstones(in, at, key);
            Enrichment enrichment = enrichment(out, at, key);
            Integer maxTextBytes = in.maxTextBytes() == null ? null : positive(in.maxTextBytes(), 1, at + "/maxTextBytes",
                    key + ".maxTextBytes", "bytes of UTF-8 per text");
            String textTemplate = in.textTemplate();
            if (spec != null && spec.generate().template() != null && PromptTemplate.namesOtherFields(spec.generate().template())) {
                // the task sees only the text: a prompt over other fields is rendered by the event core, as the text
                if (textTemplate != null) {
                    error(at + "/generation/template", key + ".generation.template", "names fields other than {text} while the stage"
                            + " has a textTemplate too: put the fields into one of them.");
                } else {
                    textTemplate = PromptTemplate.asTextTemplate(spec.generate().template(),
                            in.textField() == null ? PipelineConfig.DEFAULT_TEXT_FIELD : in.textField());
                    spec = spec.withGenerate(spec.generate().withTemplate(null));
                }
            }
            if (problems.size() > before) return null;

            PipelineConfig.Builder pipeline = PipelineConfig.builder()
                    .inputTopic(in.topics()).inputPattern(in.pattern()).valueFormat(valueFormat).tombstones(tombstones)
                    .textField(in.textField()).textTemplate(textTemplate)
                    .batching(batching)
                    .outputTopic(out.topic()).deadLetterTopic(out.dlq()).routing(routing).enrichment(enrichment);
            if (maxTextBytes != null) pipeline.maxTextBytes(maxTextBytes);
            if (cache != null) pipeline.cache(cache);
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

        /** The task's name in lower case, or null when it is missing or unknown (reported). */
        String taskName(TopologyFile.TaskSettings t, String at, String key) {
            String task = t.name() == null ? null : t.name().toLowerCase(Locale.ROOT);
            if (task != null && TASKS.contains(task)) return task;
            String near = task == null ? null : Shape.closest(task, TASKS.stream().sorted().toList());
            error(at + "/task", key + ".task", (task == null ? "missing" : "'" + task + "' is unknown"
                    + (near == null ? "" : " (did you mean '" + near + "'?)")) + "; use embed, classify, rerank, entities or generate.");
            return null;
        }

        /**
         * What runs: the model, its engine and the task's own settings, each checked; a setting of another task is
         * refused by name; mistakes are reported. Null when the task is unknown.
         */
        TaskSpec taskSpec(TopologyFile.TaskSettings t, String task, TokenBudget budget, String at, String key) {
            if (t.model() == null) {
                error(at + "/model", key + ".model", "missing; give a built-in id (" + String.join(", ", ModelRegistry.BUILT_IN)
                        + ") or a model directory.");
            } else if (checkModels) {
                checkModel(t.model(), task, at + "/model", key + ".model");
            }
            EngineOptions engine = engine(t, task, at, key);
            Overflow overflow = Overflow.TRUNCATE;
            if (t.overflow() != null) {
                try {
                    overflow = Overflow.parse(t.overflow());
                } catch (IllegalArgumentException e) {
                    error(at + "/overflow", key + ".overflow", e.getMessage());
                }
            }
            if (t.labels() != null) {
                if (task != null && !task.equals("classify")) {
                    error(at + "/labels", key + ".labels", "only a classify stage takes labels; remove it or use task: classify.");
                } else {
                    try {
                        ClassifyTask.ZeroShot.parse(t.labels());
                    } catch (IllegalArgumentException e) {
                        error(at + "/labels", key + ".labels", "not LABEL=DESCRIPTION pairs; write at least two, separated by commas, e.g."
                                + " \"positive=a happy review,negative=an unhappy review\".");
                    }
                }
            }
            if (t.query() != null && task != null && !task.equals("rerank")) {
                error(at + "/query", key + ".query", "only a rerank stage takes a query; remove it or use task: rerank.");
            }
            if (t.aggregation() != null) {
                if (task != null && !task.equals("entities")) {
                    error(at + "/aggregation", key + ".aggregation", "only an entities stage takes an aggregation; remove it or use task: entities.");
                } else {
                    try {
                        EntitiesTask.Aggregation.parse(t.aggregation());
                    } catch (IllegalArgumentException e) {
                        error(at + "/aggregation", key + ".aggregation", e.getMessage());
                    }
                }
            }
            if (t.threshold() != null && !(t.threshold() >= 0 && t.threshold() <= 1)) {
                error(at + "/threshold", key + ".threshold", "must be in [0, 1] (a probability), got " + t.threshold() + ".");
            }
            if (t.minScore() != null && !(t.minScore() >= 0 && t.minScore() <= 1)) {
                error(at + "/minScore", key + ".minScore", "must be in [0, 1] (a probability; 0 turns it off), got " + t.minScore() + ".");
            }
            if (t.generation() != null && task != null && !task.equals("generate")) {
                error(at + "/generation", key + ".generation", "only a generate stage takes generation settings; remove it or use task: generate.");
            }
            GenerateSpec generate = "generate".equals(task) ? generation(t.generation(), at + "/generation", key + ".generation") : null;
            if (task == null) return null;
            // returned with a mistake too (the stage is then dropped): the prompt's fields are still checked against the input
            return new TaskSpec(task, t.model(), engine, budget, overflow, t.prefix(), t.labels(), Boolean.TRUE.equals(t.allScores()),
                    t.threshold() == null ? 0.5f : t.threshold(), t.minScore() == null ? 0f : t.minScore(), generate, t.query(),
                    t.aggregation());
        }

        /** The engine, device and threads; null when one is wrong (reported). */
        EngineOptions engine(TopologyFile.TaskSettings t, String task, String at, String key) {
            if (t.threads() != null && t.threads() < 0) {
                error(at + "/threads", key + ".threads", "must be 0 (one per core) or a positive number of threads, got " + t.threads() + ".");
            }
            if (t.device() != null && !t.device().toLowerCase(Locale.ROOT).matches("cpu|cuda")) {
                error(at + "/device", key + ".device", "'" + t.device() + "' is unknown; use cpu or cuda.");
                return null;
            }
            if (t.engine() != null && !t.engine().toLowerCase(Locale.ROOT).matches("onnx|java|auto")) {
                error(at + "/engine", key + ".engine", "'" + t.engine() + "' is unknown; use onnx, java or auto.");
                return null;
            }
            try {
                // auto is resolved here, so that the same engine has one name (it is part of the cache key)
                String requested = t.engine() == null ? "auto" : t.engine().toLowerCase(Locale.ROOT);
                String resolved = !requested.equals("auto") ? requested
                        : "generate".equals(task) ? TaskSpec.generationEngine(requested, t.model()) : "onnx";
                return new EngineOptions(resolved,
                        t.device() == null ? "cpu" : t.device(), t.threads() == null ? 0 : Math.max(0, t.threads()));
            } catch (IllegalArgumentException e) {
                error(at + "/engine", key + ".engine", e.getMessage());
                return null;
            }
        }

        /** The batch limits, a wrong one reported and its default used. */
        PipelineConfig.Batching batching(TopologyFile.Batching b, String at, String key) {
            var defaults = PipelineConfig.Batching.DEFAULT;
            int maxTokens = positive(b == null ? null : b.maxTokens(), defaults.maxTokens(),
                    at + "/batching/maxTokens", key + ".batching.maxTokens", "padded tokens per model call");
            int maxRecords = positive(b == null ? null : b.maxRecords(), defaults.maxRecords(),
                    at + "/batching/maxRecords", key + ".batching.maxRecords", "records per batch");
            int maxWait = positive(b == null ? null : b.maxWaitMs(), (int) defaults.maxWait().toMillis(),
                    at + "/batching/maxWaitMs", key + ".batching.maxWaitMs", "milliseconds");
            return new PipelineConfig.Batching(maxTokens, maxRecords, Duration.ofMillis(maxWait));
        }

        /** The inference cache, or null when the stage has no cache block. */
        PipelineConfig.Cache cache(TopologyFile.Cache c, String at, String key) {
            if (c == null) return null;
            int maxEntries = positive(c.maxEntries(), PipelineConfig.Cache.DEFAULT_MAX_ENTRIES, at + "/cache/maxEntries",
                    key + ".cache.maxEntries", "entries per input partition");
            return new PipelineConfig.Cache(Boolean.TRUE.equals(c.enabled()), maxEntries);
        }

        /** The routes, or null when there are none or one is wrong (reported). */
        PipelineConfig.Routing routing(TopologyFile.Route route, String at, String key) {
            if (route == null) return null;
            if (route.topics() == null || route.topics().isEmpty()) {
                error(at + "/route", key + ".route.topics", "missing; map values to topics, e.g. {positive: reviews.positive}.");
                return null;
            }
            boolean whole = true;
            for (Map.Entry<String, String> entry : route.topics().entrySet()) {
                if (entry.getValue() == null || entry.getValue().isBlank()) {
                    error(at + "/route/topics/" + Shape.escape(entry.getKey()), key + ".route.topics." + entry.getKey(),
                            "names no topic; give the topic for this value.");
                    whole = false;
                }
            }
            return whole ? new PipelineConfig.Routing(route.field() == null ? "label" : route.field(), route.topics()) : null;
        }

        /** What a record with a null value does; a mistake is reported (and the default returned). */
        PipelineConfig.Tombstones tombstones(TopologyFile.Input in, String at, String key) {
            if (in.tombstones() == null) return PipelineConfig.Tombstones.PASS;
            try {
                return PipelineConfig.Tombstones.parse(in.tombstones());
            } catch (IllegalArgumentException e) {
                error(at + "/tombstones", key + ".tombstones", e.getMessage());
                return PipelineConfig.Tombstones.PASS;
            }
        }

        /** Where the stage's result goes and how its embeddings are written; a mistake is reported (and null returned). */
        Enrichment enrichment(TopologyFile.Output out, String at, String key) {
            VectorEncoding.Kind kind = VectorEncoding.Kind.JSON;
            if (out.vectorEncoding() != null) {
                try {
                    kind = VectorEncoding.Kind.parse(out.vectorEncoding());
                } catch (IllegalArgumentException e) {
                    error(at + "/vectorEncoding", key + ".vectorEncoding", e.getMessage());
                }
            }
            int dimensions = out.dimensions() == null ? 0 : positive(out.dimensions(), 0, at + "/dimensions", key + ".dimensions",
                    "numbers of the embedding to keep");
            try {
                return new Enrichment(out.outputField(), out.outputHeader(), Boolean.TRUE.equals(out.dropInputFields()),
                        new VectorEncoding(kind, dimensions));
            } catch (IllegalArgumentException e) {
                error(at + "/outputHeader", key + ".outputHeader", e.getMessage());
                return null;
            }
        }

        /** The stage's value format and its settings; a mistake is reported (and null returned). */
        PipelineConfig.Format valueFormat(TopologyFile.Input in, TopologyFile.Output out, String at, String key) {
            var settings = new LinkedHashMap<String, String>();
            if (out.outputFormat() != null) settings.put("outputFormat", out.outputFormat());
            if (in.schemaFile() != null) settings.put("schemaFile", in.schemaFile());
            if (in.schemaFile() != null && in.textTemplate() == null) { // the schema must have the text field: checked at startup
                settings.put("textField", in.textField() == null ? EventParser.DEFAULT_TEXT_FIELD : in.textField());
            }
            try {
                return new PipelineConfig.Format(in.valueFormat() == null ? PipelineConfig.Format.JSON.name() : in.valueFormat(), settings);
            } catch (IllegalArgumentException e) {
                error(at + (in.valueFormat() == null ? "/outputFormat" : "/valueFormat"),
                        key + (in.valueFormat() == null ? ".outputFormat" : ".valueFormat"), e.getMessage());
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
