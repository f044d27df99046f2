package dev.streamformer.app;

import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TaskSpec;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Mixin;

/**
 * Every task option, for {@code run}, where {@code --task} picks the task at run time. The one-task commands
 * ({@code embed}, {@code classify}, {@code generate}) take only their own task's options; the others keep their defaults.
 */
final class TaskOptions {

    @Mixin ModelOptions model;
    @Mixin BatchOptions batch;
    @Mixin EmbedOptions embed;
    @Mixin ClassifyOptions classify;
    @Mixin GenerationOptions generation;

    TaskSpec spec(String task) {
        return spec(task, model, batch, embed, classify, generation);
    }

    static TaskSpec spec(String task, ModelOptions model, BatchOptions batch, EmbedOptions embed, ClassifyOptions classify,
                         GenerationOptions generation) {
        classify.checked();
        return new TaskSpec(task, model.model, model.engineOptions(), new TokenBudget(batch.maxTokens, batch.maxBatch),
                Overflow.parse(batch.overflow), resolvePrefix(model, embed.prefix), classify.labels, classify.allScores,
                classify.threshold, classify.minScore, task != null && task.equals("generate") ? generation.spec() : null);
    }

    private static String resolvePrefix(ModelOptions model, String prefix) {
        if (prefix == null) return null;
        if (!prefix.equals("query") && !prefix.equals("passage")) return prefix;
        var d = LoadedModel.load(model.model, model.engineOptions()).files().descriptor();
        String p = prefix.equals("query") ? d.queryPrefix() : d.passagePrefix();
        return p == null ? "" : p;
    }
}
