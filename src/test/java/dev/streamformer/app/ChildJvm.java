package dev.streamformer.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code streamformer ARGS} in its own JVM, with the launcher's JVM flags and this test's class path: for commands that
 * run until stopped ({@code broker}, {@code run}, {@code demo --follow}). Output (stdout and stderr) goes to a log file
 * that {@link #awaitOutput} watches; {@link #close()} stops it as Ctrl-C would (SIGTERM runs the shutdown hooks).
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** @param env extra environment variables; {@code jvmProperties} extra {@code -D} settings */
    static ChildJvm start(Path log, Map<String, String> env, List<String> jvmProperties, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dai.djl.offline=true"));
        command.addAll(jvmProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildJvm(builder.start(), log);
    }

    /** Waits until the output holds {@code text}; fails with the output if the process ends or time runs out first. */
    void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) throw new AssertionError("exited with " + process.exitValue() + " before '" + text + "':\n" + output());
            if (System.nanoTime() > deadline) throw new AssertionError("no '" + text + "' after " + timeout.toSeconds() + " s:\n" + output());
            Thread.sleep(100);
        }
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Runs to the end; returns the exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** SIGTERM, as Ctrl-C: the shutdown hooks run; SIGKILL after 60 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
