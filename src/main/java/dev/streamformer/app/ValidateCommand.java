package dev.streamformer.app;

import dev.streamformer.topology.TopologyException;
import dev.streamformer.topology.TopologyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code streamformer validate FILE}: checks a topology file without connecting to Kafka or loading models. Every
 * mistake is printed on its own line, {@code FILE:LINE: key: what is wrong; what is allowed} (the form editors jump to).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a topology file: every mistake is reported with its file, line and key, and what is allowed;"
                + " model paths are checked too (relative to the current directory).")
final class ValidateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() {
        TopologyLoader.Plan plan;
        try {
            plan = TopologyLoader.load(file);
        } catch (TopologyException e) {
            var err = spec.commandLine().getErr();
            e.problems().forEach(err::println);
            int n = e.problems().size();
            err.println(file + ": " + n + (n == 1 ? " mistake" : " mistakes") + "; fix " + (n == 1 ? "it" : "them") + " and run validate again.");
            return 1;
        }
        spec.commandLine().getOut().println(file + ": OK, " + plan.stages().size() + " stage(s): "
                + String.join(" → ", plan.stages().stream().map(s -> s.name() + " (" + s.task().task() + " " + s.task().model() + ")").toList()));
        return 0;
    }
}
