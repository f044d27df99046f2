package dev.streamformer.app;

import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code streamformer rerank}: JSON Lines of {@code query} + {@code passages} on stdin → the same events with a {@code ranking}. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
        description = "Rerank with a cross-encoder (--model DIR, a …ForSequenceClassification folder with one label): each event's"
                + " 'passages' (or its text) scored against its 'query' (or --query); adds 'ranking' [{index, passage, score}], best first.")
final class RerankCommand extends LinesCommand {
    @Mixin RerankOptions rerank;

    @Override String task() { return "rerank"; }

    @Override
    TaskSpec spec() {
        return TaskOptions.spec(task(), model, batch, new EmbedOptions(), new ClassifyOptions(), new GenerationOptions(), rerank, new EntitiesOptions());
    }
}
