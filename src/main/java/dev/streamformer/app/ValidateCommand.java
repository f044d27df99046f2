package dev.streamformer.app;

import dev.streamformer.topology.TopologyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code streamformer validate FILE}: checks a topology file without connecting to Kafka or loading models. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a topology file: every mistake is reported with its file, line and key, and what is allowed.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() {
        TopologyLoader.Plan plan = TopologyLoader.load(file);
        System.out.println(file + ": OK, " + plan.stages().size() + " stage(s): "
                + String.join(" → ", plan.stages().stream().map(s -> s.name() + " (" + s.task().task() + " " + s.task().model() + ")").toList()));
        return 0;
    }
}
