package dev.streamformer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code streamformer bench}: throughput measurements that compare us with a peer in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: each reports records/s or tokens/s next to a peer measured in the same run, and the ratio.",
        subcommands = {BenchEmbedCommand.class, BenchEnginesCommand.class, BenchPipelineCommand.class, BenchLatencyCommand.class,
                BenchClassifyCommand.class, BenchGenerateCommand.class, BenchQuantizedCommand.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
