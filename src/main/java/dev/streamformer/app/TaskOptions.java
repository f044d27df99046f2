package dev.streamformer.app;

import dev.streamformer.task.Overflow;
import dev.streamformer.task.factory.TaskSpec;
import dev.streamformer.task.TokenBudget;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.topology.TopologyFile;
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

    /**
     * These flags as a topology stage's task settings, for {@code run}: checked with the stage as a topology file's
     * are. Generation settings only for {@code --task generate} (the others refuse them).
     */
    TopologyFile.TaskSettings settings(String task) {
        classify.checked();
        var g = generation;
        var generate = !"generate".equals(task) ? null : new TopologyFile.Generation(g.template, g.maxNewTokens, g.temperature,
                g.topK, g.topP, g.repetitionPenalty, g.seed, g.stop, g.timeBudgetMs > 0 ? (int) g.timeBudgetMs : null,
                g.chat ? Boolean.TRUE : null, g.system,
                g.chatTemplateKwargs == null ? null : ChatPrompt.ChatSettings.parseVariables(g.chatTemplateKwargs),
                g.details ? Boolean.TRUE : null, g.quantize, g.ignoreEos ? Boolean.TRUE : null);
        return new TopologyFile.TaskSettings(task, model.model, model.engine, model.device, model.threads, batch.overflow, embed.prefix,
                classify.labels, classify.allScores, classify.threshold, classify.minScore, rerank.query, entities.aggregation, generate);
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
