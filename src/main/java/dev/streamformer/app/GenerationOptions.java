package dev.streamformer.app;

import dev.streamformer.task.generate.GenerationConfig;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/** Decoding options of {@code generate} and {@code run --task generate}. */
final class GenerationOptions {

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens = 64;

    @Option(names = "--temperature", paramLabel = "T",
            description = "0: greedy (argmax); above 0: sample from softmax(logits / T). Default: ${DEFAULT-VALUE}.")
    float temperature = 0f;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens (0: off).")
    int topK = 0;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling: the most likely tokens adding up to P (1: off).")
    float topP = 1f;

    @Option(names = "--repetition-penalty", paramLabel = "R", description = "Above 1 discourages repeats (1: off).")
    float repetitionPenalty = 1f;

    @Option(names = "--seed", description = "Same seed, same text. Default: ${DEFAULT-VALUE}.")
    long seed = 0;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text (repeatable).")
    List<String> stop;

    @Option(names = "--ignore-eos", description = "Keep generating past the end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--time-budget-ms", paramLabel = "MS",
            description = "Wall-clock limit per batch; unfinished texts end with finish_reason=length (0: none).")
    long timeBudgetMs = 0;

    @Option(names = "--template", paramLabel = "PROMPT", description = "The prompt, with {text} for the event's text, e.g. \"Summarize: {text}\".")
    String template;

    GenerationConfig config() {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stop, !ignoreEos,
                timeBudgetMs > 0 ? Duration.ofMillis(timeBudgetMs) : null);
    }
}
