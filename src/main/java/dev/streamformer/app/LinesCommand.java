package dev.streamformer.app;

import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import picocli.CommandLine.Mixin;

import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** A command that runs one task over JSON Lines from stdin (embed, classify, rerank, entities, generate). */
abstract class LinesCommand implements Callable<Integer> {

    @Mixin ModelOptions model;
    @Mixin BatchOptions batch;
    @Mixin LineOptions lines;

    abstract String task();

    /** The task with this command's options; options of the other tasks keep their defaults. */
    abstract TaskSpec spec();

    @Override
    public Integer call() throws Exception {
        try (Task task = spec().create()) {
            PrintStream out = JsonLines.bufferedStdout();
            try (Progress progress = new Progress(System.err, lines.progress)) {
                JsonLines runner = new JsonLines(lines, progress, null, null, task.input());
                return runner.run(new BufferedInputStream(System.in, 1 << 16), out, task);
            }
        }
    }
}
