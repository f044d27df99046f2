package dev.streamformer.app;

import dev.streamformer.task.generate.GenerateBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamformer bench generate}: prompt and new tokens/s of the Java decoders at batch 1 and 8. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generation throughput of the Java engine: prompt tokens/s and new tokens/s at batch 1 and 8."
                + " Options: --model DIR --prompts FILE (repeat in pairs) [--batch B ...] [--new-tokens N] [--rounds R];"
                + " without them, newsgpt-mini and t5-mini from ../shared with their reference prompts.")
final class BenchGenerateCommand implements Callable<Integer> {

    @Unmatched List<String> args;

    @Override
    public Integer call() {
        GenerateBenchmark.main(args == null ? new String[0] : args.toArray(String[]::new));
        return 0;
    }
}
