package dev.streamformer.app;

import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code streamformer classify}: JSON Lines on stdin → the same events with {@code label} and {@code score}. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify JSON Lines from stdin with a fine-tuned classifier (--model DIR), a trained head (--model DIR"
                + " from 'streamformer train'), or zero-shot label descriptions (--labels): adds 'label', 'score' and 'model'.")
final class ClassifyCommand extends LinesCommand {
    @Mixin ClassifyOptions classify;

    @Override String task() { return "classify"; }

    @Override
    TaskSpec spec() {
        return TaskOptions.spec(task(), model, batch, new EmbedOptions(), classify, new GenerationOptions());
    }
}
