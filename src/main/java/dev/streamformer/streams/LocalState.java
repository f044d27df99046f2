package dev.streamformer.streams;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pipeline's local state: {@code <state.dir>/<application.id>/}, one directory per task ({@code 0_0}, {@code 0_1}, ...)
 * holding the stores that Kafka Streams restores from their changelog topics. Two things go wrong with it on a
 * newcomer's machine, and both get one sentence here instead of a stack trace:
 * <ul>
 *   <li>the state was written against another (or a reset) broker, whose changelog topics are gone: Kafka Streams would
 *       fail with {@code TaskCorruptedException} / {@code OffsetOutOfRangeException}; it is safe to reset, since every
 *       store is rebuilt from Kafka;</li>
 *   <li>another process already uses the same directory for the same application.id.</li>
 * </ul>
 */
final class LocalState {

    private LocalState() {}

    static Path directory(PipelineConfig config) {
        var streamsConfig = new StreamsConfig(config.streamsProperties());
        return Path.of(streamsConfig.getString(StreamsConfig.STATE_DIR_CONFIG), config.applicationId());
    }

    /** True when there are task directories here but the cluster ({@code topics}) has none of this application's changelogs. */
    static boolean orphaned(PipelineConfig config, Set<String> topics) {
        String prefix = config.applicationId() + "-";
        boolean clusterHasState = topics.stream().anyMatch(t -> t.startsWith(prefix) && t.endsWith("-changelog"));
        return !clusterHasState && hasTaskDirectories(directory(config));
    }

    private static boolean hasTaskDirectories(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+_\\d+"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Kafka Streams' lock error as what to do; any other error unchanged. */
    static RuntimeException explain(PipelineConfig config, StreamsException e) {
        if (e.getMessage() == null || !e.getMessage().contains("Unable to initialize state")) return e;
        return new IllegalStateException("Another process already runs application.id " + config.applicationId() + " with its state in "
                + directory(config).getParent() + ": to add an instance of the same pipeline give it its own --config state.dir=DIR;"
                + " for a different pipeline, its own --config application.id=NAME.", e);
    }
}
