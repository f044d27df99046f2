package dev.streamformer.app;

import picocli.CommandLine.Option;

/** How texts are batched for the model, and what happens to a text that is too long: every command that runs a task. */
final class BatchOptions {

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Padded tokens per model call (the batch's token budget). Default: ${DEFAULT-VALUE}.")
    int maxTokens = 8192;

    @Option(names = "--max-batch", paramLabel = "N", description = "Texts per model call. Default: ${DEFAULT-VALUE}.")
    int maxBatch = 64;

    @Option(names = "--overflow", paramLabel = "truncate|reject",
            description = "Texts longer than the model's maximum length: truncate (default) or reject.")
    String overflow = "truncate";
}
