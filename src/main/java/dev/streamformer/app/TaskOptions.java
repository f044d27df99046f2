package dev.streamformer.app;

import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TaskSpec;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that say which task runs on which model, shared by embed, classify and run. */
final class TaskOptions {

    @Mixin ModelOptions model;

    @Mixin GenerationOptions generation;

    @Option(names = "--max-tokens", defaultValue = "8192", paramLabel = "N",
            description = "Padded tokens per model call (the batch's token budget). Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--max-batch", defaultValue = "64", paramLabel = "N", description = "Texts per model call. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--overflow", defaultValue = "truncate", paramLabel = "truncate|reject",
            description = "Texts longer than the model's maximum length: truncate (default) or reject.")
    String overflow;

    @Option(names = "--prefix", paramLabel = "query|passage|TEXT",
            description = "embed: put the model's query or passage prefix (e.g. 'query: ' for e5-small-v2), or this text, before every text.")
    String prefix;

    @Option(names = "--labels", paramLabel = "LABEL=DESCRIPTION,...",
            description = "classify: zero-shot labels, each described in words, e.g. \"sports=a sports story,business=news about business\".")
    String labels;

    @Option(names = "--all-scores", description = "classify: add a 'scores' object with every label's score.")
    boolean allScores;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P",
            description = "classify, multi-label models: labels scoring at least this go into 'labels'. Default: ${DEFAULT-VALUE}.")
    float threshold;

    @Option(names = "--min-score", defaultValue = "0", paramLabel = "S",
            description = "classify: below this best score the label is 'unknown' (0: never). Default: ${DEFAULT-VALUE}.")
    float minScore;

    TaskSpec spec(String task) {
        return new TaskSpec(task, model.model, model.engineOptions(), new TokenBudget(maxTokens, maxBatch), Overflow.parse(overflow),
                resolvePrefix(), labels, allScores, threshold, minScore,
                generation.config(), generation.template);
    }

    private String resolvePrefix() {
        if (prefix == null) return null;
        if (!prefix.equals("query") && !prefix.equals("passage")) return prefix;
        var d = LoadedModel.load(model.model, model.engineOptions()).files().descriptor();
        String p = prefix.equals("query") ? d.queryPrefix() : d.passagePrefix();
        return p == null ? "" : p;
    }
}
