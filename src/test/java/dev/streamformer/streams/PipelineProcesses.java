package dev.streamformer.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link PipelineProcess} in child JVMs, so that tests can kill them with SIGKILL. */
final class PipelineProcesses {

    private PipelineProcesses() {}

    /**
     * Starts a pipeline JVM and waits until its Kafka Streams client runs. Its stdout and stderr go to {@code log}.
     */
    static Process start(Path log, Duration timeout, String bootstrap, String applicationId, String input, String output,
                         Path stateDir, long sleepMillisPerCall) throws Exception {
        return start(log, timeout, bootstrap, applicationId, input, output, stateDir, sleepMillisPerCall, null);
    }

    /** @param avroSchemaFile the values are Avro records of this schema; null: JSON */
    static Process start(Path log, Duration timeout, String bootstrap, String applicationId, String input, String output,
                         Path stateDir, long sleepMillisPerCall, Path avroSchemaFile) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dstreamformer.debugKafka=" + Boolean.getBoolean("streamformer.debugKafka"), "-cp", System.getProperty("java.class.path"),
                PipelineProcess.class.getName(), bootstrap, applicationId, input, output, stateDir.toString(),
                Long.toString(sleepMillisPerCall)));
        if (avroSchemaFile != null) {
            command.add(avroSchemaFile.toString());
        }
        var builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            KafkaTestSupport.await(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("The pipeline process exited early; see " + log);
                }
                try {
                    return Files.readAllLines(log).contains("RUNNING");
                } catch (IOException e) {
                    return false;
                }
            }, timeout, "the pipeline process to run (log: " + log + ")");
        } catch (Throwable t) {
            process.destroyForcibly();
            throw t;
        }
        return process;
    }

    /** SIGKILL: no shutdown hook, no commit, no flush; waits until the process is gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
