package dev.streamformer.app;

import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Option;

/** How texts are batched for the model, and what happens to a text that is too long: every command that runs a task. */
final class BatchOptions {

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Padded tokens per model call (the batch's token budget). Default: ${DEFAULT-VALUE}.")
    int maxTokens = TokenBudget.DEFAULT.maxTokens();

    @Option(names = "--max-batch", paramLabel = "N", description = "Texts per model call. Default: ${DEFAULT-VALUE}.")
    int maxBatch = TokenBudget.DEFAULT.maxBatchSize();

    @Option(names = "--overflow", paramLabel = "truncate|reject",
            description = "Texts longer than the model's maximum length: truncate (default) or reject.")
    String overflow = "truncate";
}
