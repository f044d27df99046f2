package dev.streamformer.app;

import dev.streamformer.task.Task;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The task a pipeline benchmark runs ({@code bench pipeline}, {@code bench latency}): embed by default, or classify or
 * generate with their usual options, so that a stream of each kind can be measured the same way.
 */
final class BenchTaskOptions {

    @Option(names = "--task", defaultValue = "embed", paramLabel = "embed|classify|generate",
            description = "The task the pipeline runs. Default: ${DEFAULT-VALUE}.")
    String name;

    @Mixin ClassifyOptions classify;
    @Mixin GenerationOptions generation;

    /** The task on {@code model}, batched by at most {@code maxTokens} padded tokens and {@code maxBatch} texts. */
    Task create(ModelOptions model, int maxTokens, int maxBatch) {
        BatchOptions batch = new BatchOptions();
        batch.maxTokens = maxTokens;
        batch.maxBatch = maxBatch;
        return TaskOptions.spec(name, model, batch, new EmbedOptions(), classify, generation).create();
    }
}
