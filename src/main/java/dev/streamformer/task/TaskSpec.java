package dev.streamformer.task;

import dev.streamformer.model.ModelDescriptor;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.task.train.TrainedHeadClassifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
 */
public record TaskSpec(String task, String model, EngineOptions engine, TokenBudget budget, Overflow overflow, String prefix,
                       String labels, boolean allScores, float threshold, float minScore) {

    public static TaskSpec embed(String model) {
        return new TaskSpec("embed", model, EngineOptions.DEFAULT, TokenBudget.DEFAULT, Overflow.TRUNCATE, null, null, false, 0.5f, 0f);
    }

    /** Builds the task; the model is loaded once per JVM whatever the number of tasks that use it. */
    public Task create() {
        Path dir = Path.of(model);
        ModelDescriptor own = Files.isDirectory(dir) ? ModelRegistry.descriptorOf(dir) : null;
        if (own != null && own.isTrainedHead()) {
            EmbedTask encoder = new EmbedTask(LoadedModel.load(own.encoder(), engine), budget, overflow, prefix);
            return new ClassifyTask(TrainedHeadClassifier.open(dir, own, encoder), allScores, threshold, minScore);
        }
        LoadedModel loaded = LoadedModel.load(model, engine);
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
}
