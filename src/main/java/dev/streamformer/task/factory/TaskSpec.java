package dev.streamformer.task.factory;

import dev.streamformer.task.ClassifyTask;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.EntitiesTask;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.RerankTask;
import dev.streamformer.task.Task;
import dev.streamformer.task.TokenBudget;

import dev.streamformer.model.HfConfig;
import dev.streamformer.model.ModelDescriptor;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.task.train.TrainedHeadClassifier;

import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.factory.Engines;
import dev.streamformer.task.generate.GenerateTask;
import dev.streamformer.chat.ChatTemplate;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.GgufModel;
import dev.streamformer.task.generate.GenerateSpec;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.GenerationDefaults;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything needed to build a {@link Task}, as the CLI flags and topology files give it.
 *
 * @param task       {@code embed}, {@code classify}, {@code rerank}, {@code entities} or {@code generate}; null: the model's own task
 * @param model      built-in id or model directory
 * @param engine     engine, device, threads
 * @param budget     token budget per model call
 * @param overflow   what to do with texts over the model's maximum length
 * @param prefix     embed: a prompt name (query, passage, ...) or text put before every text; null: the model's default prompt
 * @param labels     classify: zero-shot label descriptions ({@code label=description,...}); null for a fine-tuned model
 * @param allScores  classify: add a {@code scores} object
 * @param threshold  classify, multi-label: sigmoid threshold for {@code labels}
 * @param minScore   classify: below this best score the label is {@code unknown} (0 disables)
 * @param generate   generate: decoding, prompt and chat settings (null: {@link GenerateSpec#DEFAULT})
 * @param query      rerank: the query of events that carry none (null: every event must)
 * @param aggregation entities: how token labels become entities, {@code simple} or {@code first} (null: simple)
 */
public record TaskSpec(String task, String model, EngineOptions engine, TokenBudget budget, Overflow overflow, String prefix,
                       String labels, boolean allScores, float threshold, float minScore, GenerateSpec generate, String query,
                       String aggregation) {

    public TaskSpec {
        generate = generate == null ? GenerateSpec.DEFAULT : generate;
    }

    /** A spec for every task but rerank and entities. */
    public TaskSpec(String task, String model, EngineOptions engine, TokenBudget budget, Overflow overflow, String prefix,
                    String labels, boolean allScores, float threshold, float minScore, GenerateSpec generate) {
        this(task, model, engine, budget, overflow, prefix, labels, allScores, threshold, minScore, generate, null, null);
    }

    /** This spec with other generation settings. */
    public TaskSpec withGenerate(GenerateSpec other) {
        return new TaskSpec(task, model, engine, budget, overflow, prefix, labels, allScores, threshold, minScore, other, query, aggregation);
    }

    /** Decoder models loaded in this JVM, by path: one copy of the weights whatever the number of stages using it. */
    private static final Map<ModelKey, LanguageModel> LANGUAGE_MODELS = new ConcurrentHashMap<>();

    /** A decoder as loaded: the same folder on two engines, or in two storage formats, is two models. */
    private record ModelKey(Path dir, String engine, Quantization quantization) {}

    public static TaskSpec embed(String model) {
        return new TaskSpec("embed", model, EngineOptions.DEFAULT, TokenBudget.DEFAULT, Overflow.TRUNCATE, null, null, false, 0.5f, 0f,
                null);
    }

    /** Builds the task; the model is loaded once per JVM whatever the number of tasks that use it. */
    public Task create() {
        if ("generate".equalsIgnoreCase(task)) return createGenerate();
        Path dir = Path.of(model);
        ModelDescriptor own = Files.isDirectory(dir) ? ModelRegistry.descriptorOf(dir) : null;
        if (own != null && own.isTrainedHead()) {
            EmbedTask encoder = new EmbedTask(LoadedModel.load(own.encoder(), engine), budget, overflow, prefix);
            return new ClassifyTask(TrainedHeadClassifier.open(model, dir, own, encoder), allScores, threshold, minScore);
        }
        refuseGenerator(dir);
        LoadedModel loaded = LoadedModel.load(model, engine);
        if (labels != null && loaded.files().config().isSequenceClassifier()) {
            throw new IllegalArgumentException("--labels needs an embedding model, and " + model + " is a fine-tuned classifier with labels of"
                    + " its own: drop --labels to use them, or give an embedding model, e.g. --model " + ModelRegistry.DEFAULT_MODEL + ".");
        }
        String kind = task != null ? task.toLowerCase(Locale.ROOT) : (labels != null ? "classify" : loaded.files().task());
        return switch (kind) {
            case "embed" -> new EmbedTask(loaded, budget, overflow, prefix);
            case "rerank" -> new RerankTask(loaded, budget, overflow, query);
            case "entities" -> new EntitiesTask(loaded, budget, overflow,
                    aggregation == null ? EntitiesTask.Aggregation.SIMPLE : EntitiesTask.Aggregation.parse(aggregation));
            case "classify" -> {
                ClassifyTask.Classifier classifier = labels != null
                        ? new ClassifyTask.ZeroShot(new EmbedTask(loaded, budget, overflow, prefix), ClassifyTask.ZeroShot.parse(labels))
                        : new ClassifyTask.FineTuned(loaded, budget, overflow);
                yield new ClassifyTask(classifier, allScores, threshold, minScore);
            }
            default -> throw new IllegalArgumentException("Unknown task '" + kind + "': use embed, classify, rerank, entities or generate.");
        };
    }

    /**
     * The engine a generate stage runs on: the one named, or for {@code auto} onnx when the model folder holds an ONNX
     * export and java otherwise.
     */
    public static String generationEngine(String requested, String model) {
        if (!"auto".equals(requested)) return requested;
        if (model == null) return "java";
        return Engines.hasOnnxExport(Path.of(model)) ? "onnx" : "java";
    }

    /** A decoder (GPT-2, Llama, T5, ...) given to embed or classify: say where it belongs before any engine tries it. */
    private void refuseGenerator(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) return;
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        boolean generator = config.architectures().stream()
                .anyMatch(a -> a.endsWith("LMHeadModel") || a.endsWith("ForCausalLM") || a.endsWith("ForConditionalGeneration"));
        if (generator) {
            throw new IllegalArgumentException("Model " + model + " generates text (" + config.modelType() + "); " + (task == null ? "this task" : task)
                    + " needs an encoder, e.g. --model " + ModelRegistry.DEFAULT_MODEL + ". To generate with this one: streamformer generate --model "
                    + model + " (run: --task generate).");
        }
    }

    /**
     * A decoder on ONNX Runtime when asked ({@code --engine onnx}) or when the folder holds an ONNX export and no engine
     * was named; on the Java engine otherwise.
     */
    private Task createGenerate() {
        Path dir = Path.of(model).toAbsolutePath().normalize();
        boolean gguf = GgufModel.isGguf(dir);
        if (!gguf && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Model '" + model + "' is neither a directory nor a .gguf file: generation needs a"
                    + " Hugging Face decoder directory (GPT-2, T5 or Llama style) with config.json, model.safetensors and"
                    + " tokenizer.json, or a llama.cpp .gguf file.");
        }
        boolean onnx = generationEngine(engine.engine(), model).equals("onnx");
        if (onnx && gguf) {
            throw new IllegalArgumentException("A .gguf file runs on the java engine: drop --engine onnx (and --device cuda).");
        }
        if (!onnx && engine.device().equals("cuda")) {
            throw new IllegalArgumentException("The java engine runs on the CPU only: drop --device cuda, or give a folder with"
                    + " an ONNX export (model.onnx) for --engine onnx --device cuda.");
        }
        if (onnx && generate.quantization() != Quantization.NONE) {
            throw new IllegalArgumentException("--quantize applies to the java engine: add --engine java, or drop --quantize.");
        }
        LanguageModel lm = LANGUAGE_MODELS.computeIfAbsent(new ModelKey(dir, onnx ? "onnx" : "java", generate.quantization()),
                key -> Engines.languageModel(key.dir(), key.engine(), engine.device(), engine.threads(), key.quantization()));
        GgufModel ggufModel = gguf ? GgufModel.read(dir) : null;
        Tokenizer tokenizer = gguf ? ggufModel.tokenizer() : Tokenizer.fromFile(dir.resolve("tokenizer.json"));
        // a GGUF file has no generation_config.json: greedy unless the flags say otherwise
        GenerationConfig config = (gguf ? GenerationDefaults.GREEDY : GenerationDefaults.read(dir)).applyTo(generate.decoding());
        ChatTemplate chatTemplate = !generate.chat().chat() ? null
                : gguf ? ggufModel.chatTemplate() : ChatTemplate.fromModelDirectory(dir);
        ChatPrompt prompt = new ChatPrompt(chatTemplate, generate.chat(), generate.promptTemplate());
        // "model" in the output is the model as given (built-in id or path), on every task
        return new GenerateTask(model, lm, tokenizer, config, prompt, generate.details(),
                budget.maxBatchSize());
    }
}
