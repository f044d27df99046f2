package dev.streamformer.app;

import dev.streamformer.model.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code demo --follow} stopped as Ctrl-C stops it leaves no broker directory behind, and keeps its state in STREAMFORMER_HOME. */
class DemoFollowIT {

    @TempDir Path tmp;

    @Test
    void stoppingTheFollowingDemoDeletesItsBrokerDirectory() throws Exception {
        Path osTemp = Files.createDirectories(tmp.resolve("os-temp"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path models = ModelRegistry.defaultCacheDir().resolve("models");
        if (Files.isDirectory(models)) Files.createSymbolicLink(home.resolve("models"), models);

        try (ChildJvm demo = ChildJvm.start(tmp.resolve("demo.log"), Map.of("STREAMFORMER_HOME", home.toString()),
                List.of("-Djava.io.tmpdir=" + osTemp), List.of("demo", "--follow"))) {
            demo.awaitOutput("Ctrl-C to stop.", Duration.ofMinutes(3));
            assertEquals(1, brokerDirs(osTemp), "the running demo's broker directory");
            assertTrue(Files.isDirectory(home.resolve("demo-state")), "state under STREAMFORMER_HOME");
            demo.close();
            assertTrue(demo.output().contains("Stopping the pipeline and the broker"), demo.output());
        }
        assertEquals(0, brokerDirs(osTemp), "broker directories left behind");
    }

    private static long brokerDirs(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("streamformer-kafka-")).count();
        }
    }
}
