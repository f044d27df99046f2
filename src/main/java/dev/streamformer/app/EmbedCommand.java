package dev.streamformer.app;

import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code streamformer embed}: JSON Lines on stdin → the same events with an {@code embedding} on stdout. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed JSON Lines from stdin: each event comes out on stdout with 'embedding' and 'model' added.")
final class EmbedCommand extends LinesCommand {
    @Mixin EmbedOptions embed;

    @Override String task() { return "embed"; }

    @Override
    TaskSpec spec() {
        return TaskOptions.spec(task(), model, batch, embed, new ClassifyOptions(), new GenerationOptions());
    }
}
