package dev.streamformer.app;

import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TokenBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code streamformer embed}: JSON Lines on stdin → the same events with an {@code embedding} on stdout. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed JSON Lines from stdin: each event comes out on stdout with an 'embedding' field added.")
final class EmbedCommand implements Callable<Integer> {

    @Mixin ModelOptions model;
    @Mixin LineOptions lines;

    @Option(names = "--max-tokens", defaultValue = "8192", description = "Padded tokens per model call. Default: ${DEFAULT-VALUE}.")
    int maxTokens;

    @Option(names = "--max-batch", defaultValue = "64", description = "Texts per model call. Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--overflow", defaultValue = "truncate", paramLabel = "truncate|reject",
            description = "Texts longer than the model's maximum length: truncate (default) or reject as an error line.")
    String overflow;

    @Option(names = "--prefix", paramLabel = "query|passage|TEXT",
            description = "Put the model's query or passage prefix (e.g. 'query: ' for e5-small-v2), or this literal text, before every text.")
    String prefix;

    @Override
    public Integer call() throws Exception {
        LoadedModel loaded = LoadedModel.load(model.model, model.engineOptions());
        EmbedTask task = new EmbedTask(loaded, new TokenBudget(maxTokens, maxBatch), Overflow.parse(overflow), resolvePrefix(loaded));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (Progress progress = new Progress(System.err, lines.progress)) {
            JsonLines runner = new JsonLines(lines.textField, lines.failFast, progress, task::countTokens);
            return runner.run(new BufferedInputStream(System.in, 1 << 16), out, task::run);
        }
    }

    private String resolvePrefix(LoadedModel loaded) {
        if (prefix == null) return null;
        var d = loaded.files().descriptor();
        return switch (prefix) {
            case "query" -> d.queryPrefix() == null ? "" : d.queryPrefix();
            case "passage" -> d.passagePrefix() == null ? "" : d.passagePrefix();
            default -> prefix;
        };
    }
}
