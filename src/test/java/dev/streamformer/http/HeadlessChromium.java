package dev.streamformer.http;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts Debian's {@code chromium} headless with a DevTools port (the browser writes the port it chose to
 * {@code <user-data-dir>/DevToolsActivePort}); no Selenium, no driver download.
 */
final class HeadlessChromium implements AutoCloseable {
    static final String INSTALL_HINT = "Install it with src/test/resources/install-chromium.sh (apt-get install -y chromium)"
            + " or pass -Dchromium.path=/path/to/chromium.";

    private final Process process;
    private final Path userDataDir;
    final int devToolsPort;

    private HeadlessChromium(Process process, Path userDataDir, int devToolsPort) {
        this.process = process;
        this.userDataDir = userDataDir;
        this.devToolsPort = devToolsPort;
    }

    static Path find() {
        String configured = System.getProperty("chromium.path");
        if (configured != null) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p)) return p;
            throw new AssertionError("-Dchromium.path=" + configured + " is not an executable file. " + INSTALL_HINT);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) return candidate;
            }
        }
        throw new AssertionError("Chromium was not found on the PATH; the attention page's browser test needs it. " + INSTALL_HINT);
    }

    static HeadlessChromium start(Path logFile) throws IOException, InterruptedException {
        Path userDataDir = Files.createTempDirectory("streamformer-chromium");
        var command = List.of(find().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + userDataDir,
                "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        Path portFile = userDataDir.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("Chromium exited with " + process.exitValue() + " at start; its log: " + Files.readString(logFile));
            }
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    return new HeadlessChromium(process, userDataDir, Integer.parseInt(lines.getFirst().strip()));
                }
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("Chromium did not open its DevTools port within 60 s; its log is in " + logFile);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        deleteProfile();
    }

    /**
     * Chromium's helper processes can still rename files in the profile while they exit, so a walk may meet a file
     * that is gone: try again a few times; a profile left in the temp directory harms no test.
     */
    private void deleteProfile() throws InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Stream<Path> files = Files.walk(userDataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                return;
            } catch (IOException | java.io.UncheckedIOException fileVanishedDuringTheWalk) {
                Thread.sleep(200);
            }
        }
    }
}
