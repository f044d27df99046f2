package dev.streamformer.app;

import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code streamformer entities}: JSON Lines on stdin → the same events with the {@code entities} found in their text. */
@Command(name = "entities", mixinStandardHelpOptions = true,
        description = "Find entities with a token classifier (--model DIR, a …ForTokenClassification folder, e.g. NER): adds"
                + " 'entities' [{entity, score, word, start, end}] (offsets in code points), grouped as Hugging Face's pipeline does.")
final class EntitiesCommand extends LinesCommand {
    @Mixin EntitiesOptions entities;

    @Override String task() { return "entities"; }

    @Override
    TaskSpec spec() {
        return TaskOptions.spec(task(), model, batch, new EmbedOptions(), new ClassifyOptions(), new GenerationOptions(), new RerankOptions(), entities);
    }
}
