package dev.streamformer.app;

import dev.streamformer.task.generate.GenerateTask;
import dev.streamformer.task.generate.PromptTemplate;
import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code streamformer generate}: with {@code --prompt}, prints the text as it is generated and then tokens/s;
 * without, JSON Lines on stdin → events with {@code generated}, {@code finish_reason} and token counts.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a decoder (GPT-2 or Llama style) or encoder-decoder (T5 style) model directory, or a llama.cpp .gguf file."
                + " With --prompt the text is printed as it comes; otherwise JSON Lines from stdin get 'generated' added.")
final class GenerateCommand extends LinesCommand {

    @Option(names = "--prompt", description = "Generate for this one prompt and print the text as it is produced.")
    String prompt;

    @Mixin GenerationOptions generation;

    @Override String task() { return "generate"; }

    @Override
    TaskSpec spec() {
        return TaskOptions.spec(task(), model, batch, new EmbedOptions(), new ClassifyOptions(), generation);
    }

    @Override
    public Integer call() throws Exception {
        if (prompt == null) {
            if (generation.template != null && PromptTemplate.namesOtherFields(generation.template)) {
                // the task sees only the text: a prompt over other fields is rendered by the event core, as the text
                if (lines.textTemplate != null) {
                    throw new IllegalArgumentException("--template names fields other than {text} and --text-template is set too:"
                            + " put the fields into one of them.");
                }
                lines.textTemplate = PromptTemplate.asTextTemplate(generation.template, lines.textField);
                generation.template = null;
            }
            return super.call();
        }
        try (GenerateTask task = (GenerateTask) spec().create()) {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            long start = System.nanoTime();
            var result = task.stream(prompt, (index, piece) -> out.print(piece));
            out.println();
            double s = (System.nanoTime() - start) / 1e9;
            int n = result.get("generated_tokens").asInt();
            System.err.printf(Locale.ROOT, "%d prompt tokens, %d new tokens in %.2f s (%.1f tokens/s), finish_reason=%s%n",
                    result.get("prompt_tokens").asInt(), n, s, n / s, result.get("finish_reason").asText());
            return 0;
        }
    }
}
