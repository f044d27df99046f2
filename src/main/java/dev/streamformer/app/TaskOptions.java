package dev.streamformer.app;

import dev.streamformer.task.Overflow;
import dev.streamformer.task.TaskSpec;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Mixin;

/**
 * Every task option, for {@code run}, where {@code --task} picks the task at run time. The one-task commands
 * ({@code embed}, {@code classify}, {@code rerank}, {@code generate}) take only their own task's options; the others keep their defaults.
 */
final class TaskOptions {

    @Mixin ModelOptions model;
    @Mixin BatchOptions batch;
    @Mixin EmbedOptions embed;
    @Mixin ClassifyOptions classify;
    @Mixin GenerationOptions generation;
    @Mixin RerankOptions rerank;
    @Mixin EntitiesOptions entities;

    TaskSpec spec(String task) {
        return spec(task, model, batch, embed, classify, generation, rerank, entities);
    }

    static TaskSpec spec(String task, ModelOptions model, BatchOptions batch, EmbedOptions embed, ClassifyOptions classify,
                         GenerationOptions generation) {
        return spec(task, model, batch, embed, classify, generation, new RerankOptions(), new EntitiesOptions());
    }

    static TaskSpec spec(String task, ModelOptions model, BatchOptions batch, EmbedOptions embed, ClassifyOptions classify,
                         GenerationOptions generation, RerankOptions rerank, EntitiesOptions entities) {
        classify.checked();
        return new TaskSpec(task, model.model, model.engineOptions(), new TokenBudget(batch.maxTokens, batch.maxBatch),
                Overflow.parse(batch.overflow), embed.prefix, classify.labels, classify.allScores,
                classify.threshold, classify.minScore, task != null && task.equals("generate") ? generation.spec() : null, rerank.query,
                entities.aggregation);
    }
}
