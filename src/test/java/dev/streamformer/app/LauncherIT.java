package dev.streamformer.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./streamformer} launcher on the packaged jar (an IT: it runs after {@code package}): a normal run prints
 * no JVM warnings, {@code --version} included, and what the program itself writes to stderr still comes through.
 */
class LauncherIT {

    record Result(int exit, String out, String err) {}

    static Result launch(String stdin, String... args) throws IOException, InterruptedException {
        return launch(Map.of(), stdin, args);
    }

    static Result launch(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("./streamformer"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out"), err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process p = builder.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "launcher did not finish: " + command);
            p.waitFor();
            Thread.sleep(200); // the stderr filter writes its last lines as the JVM exits
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void versionPrintsOneLineAndNoWarning() throws Exception {
        Result r = launch("", "--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("streamformer "), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aModelCommandPrintsNoIncubatorWarningButKeepsItsOwnErrors() throws Exception {
        Result ok = launch("Shares fell 3%\n", "classify", "--labels", "sports=a story about sports,business=news about business");
        assertEquals(0, ok.exit(), ok.err());
        assertFalse(ok.err().contains("WARNING"), ok.err());
        assertTrue(ok.out().contains("\"label\":\"business\""), ok.out());
        Result wrong = launch("hi\n", "embed", "--model", "/no/such/dir");
        assertEquals(1, wrong.exit());
        assertFalse(wrong.err().contains("WARNING"), wrong.err());
        assertTrue(wrong.err().contains("streamformer: Model '/no/such/dir' is neither a built-in id"), wrong.err());
    }

    @Test
    void progressLinesStillComeThroughTheFilter() throws Exception {
        Result r = launch("one\ntwo\nthree\n", "embed", "--progress");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("WARNING"), r.err());
        assertTrue(r.err().contains("\r3 records"), r.err());
        assertEquals(3, r.out().lines().count(), r.out());
    }

    @Test
    void modelCommandsStartFromTheStartupCacheWithTheSameResults() throws Exception {
        Result first = launch("Kafka topics carry events.\n", "embed");   // makes the cache if this build has none yet
        assertEquals(0, first.exit(), first.err());
        Path cache = Path.of("target/streamformer.aot");
        assertTrue(Files.isRegularFile(cache), "no startup cache: " + first.err());
        assertTrue(Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(Path.of("target/streamformer.jar"))) > 0,
                "the startup cache is older than the jar");
        Result cached = launch(Map.of("STREAMFORMER_JAVA_OPTS", "-Xlog:aot=info:stderr"), "Kafka topics carry events.\n", "embed");
        assertEquals(0, cached.exit(), cached.err());
        assertTrue(cached.err().contains("Opened AOT cache " + cache.toAbsolutePath()), cached.err());
        assertFalse(cached.err().contains("preparing a startup cache"), "the cache was made twice for one build");
        Result without = launch(Map.of("STREAMFORMER_AOT", "off"), "Kafka topics carry events.\n", "embed");
        assertEquals(0, without.exit(), without.err());
        assertEquals(without.out(), cached.out());
        assertEquals(without.out(), first.out());
    }

    @Test
    void validateRunsWithoutTheVectorModule() throws Exception {
        Result r = launch("", "validate", "topology/enrich.yaml");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }
}
