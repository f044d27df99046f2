package dev.streamformer.task;

import dev.streamformer.model.HfConfig;
import dev.streamformer.model.ModelDescriptor;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.task.train.TrainedHeadClassifier;

import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.task.generate.GenerateTask;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.PromptTemplate;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything needed to build a {@link Task}, as the CLI flags and topology files give it.
 *
 * @param task       {@code embed}, {@code classify} or {@code generate}; null: the model's own task
 * @param model      built-in id or model directory
 * @param engine     engine, device, threads
 * @param budget     token budget per model call
 * @param overflow   what to do with texts over the model's maximum length
 * @param prefix     embed: text put before every text (already resolved from query/passage)
 * @param labels     classify: zero-shot label descriptions ({@code label=description,...}); null for a fine-tuned model
 * @param allScores  classify: add a {@code scores} object
 * @param threshold  classify, multi-label: sigmoid threshold for {@code labels}
 * @param minScore   classify: below this best score the label is {@code unknown} (0 disables)
 * @param generation generate: decoding settings (null: greedy, 64 new tokens)
 * @param template   generate: the prompt, with {@code {text}} standing for the event's text (null: the text itself)
 */
public record TaskSpec(String task, String model, EngineOptions engine, TokenBudget budget, Overflow overflow, String prefix,
                       String labels, boolean allScores, float threshold, float minScore,
                       GenerationConfig generation, String template) {

    /** Decoder models loaded in this JVM, by path: one copy of the weights whatever the number of stages using it. */
    private static final Map<Path, LanguageModel> LANGUAGE_MODELS = new ConcurrentHashMap<>();

    public static TaskSpec embed(String model) {
        return new TaskSpec("embed", model, EngineOptions.DEFAULT, TokenBudget.DEFAULT, Overflow.TRUNCATE, null, null, false, 0.5f, 0f,
                null, null);
    }

    /** Builds the task; the model is loaded once per JVM whatever the number of tasks that use it. */
    public Task create() {
        if ("generate".equalsIgnoreCase(task)) return createGenerate();
        Path dir = Path.of(model);
        ModelDescriptor own = Files.isDirectory(dir) ? ModelRegistry.descriptorOf(dir) : null;
        if (own != null && own.isTrainedHead()) {
            EmbedTask encoder = new EmbedTask(LoadedModel.load(own.encoder(), engine), budget, overflow, prefix);
            return new ClassifyTask(TrainedHeadClassifier.open(dir, own, encoder), allScores, threshold, minScore);
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
            case "classify" -> {
                ClassifyTask.Classifier classifier = labels != null
                        ? new ClassifyTask.ZeroShot(new EmbedTask(loaded, budget, overflow, prefix), ClassifyTask.ZeroShot.parse(labels))
                        : new ClassifyTask.FineTuned(loaded, budget);
                yield new ClassifyTask(classifier, allScores, threshold, minScore);
            }
            default -> throw new IllegalArgumentException("Unknown task '" + kind + "': use embed, classify or generate.");
        };
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

    private Task createGenerate() {
        // No ONNX decoder export could be tested honestly (none in our fixtures): generation runs on the java engine,
        // which is also what the default engine option means for this task.
        if (engine.device().equals("cuda")) {
            throw new IllegalArgumentException("Generation runs on the java engine on the CPU only: drop --device cuda.");
        }
        Path dir = Path.of(model).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Model '" + model + "' is not a directory: generation needs a Hugging Face decoder"
                    + " directory (GPT-2, T5 or Llama style) with config.json, model.safetensors and tokenizer.json.");
        }
        LanguageModel lm = LANGUAGE_MODELS.computeIfAbsent(dir, LanguageModels::load);
        Tokenizer tokenizer = Tokenizer.fromFile(dir.resolve("tokenizer.json"));
        GenerationConfig config = generation != null ? generation : GenerationConfig.greedy(64);
        PromptTemplate prompt = template != null ? new PromptTemplate(template) : PromptTemplate.IDENTITY;
        return new GenerateTask(dir.getFileName().toString(), lm, tokenizer, config, prompt, budget.maxBatchSize());
    }
}
