package dev.streamformer.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * tiny-xlmr with small random heads (a cross-encoder in {@code rerank/}, a token classifier in {@code entities/}), written
 * by {@code src/test/python/make_xlmr_heads.py} into {@code target/xlmr-heads} once per test JVM: safetensors and ONNX
 * of the same weights. No trained reranker or NER model is in ../shared; these test mechanics, not quality.
 */
public final class XlmrHeads {

    public static final Path TINY_XLMR = Path.of("..", "shared", "models", "tiny-xlmr");
    private static final Path SCRIPT = Path.of("src", "test", "python", "make_xlmr_heads.py");
    private static final Path OUT = Path.of("target", "xlmr-heads");
    private static boolean written;

    private XlmrHeads() {}

    public static synchronized Path rerank() { return write().resolve("rerank"); }

    public static synchronized Path entities() { return write().resolve("entities"); }

    private static Path write() {
        if (written) return OUT;
        assertTrue(Files.isDirectory(TINY_XLMR), "missing " + TINY_XLMR.toAbsolutePath() + ": the tests need ../shared");
        String python = System.getProperty("streamformer.python",
                Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        try {
            if (Files.exists(OUT)) {
                try (Stream<Path> files = Files.walk(OUT)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            }
            Process process = new ProcessBuilder(List.of(python, SCRIPT.toString(), TINY_XLMR.toString(), OUT.toString()))
                    .redirectErrorStream(true).start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "make_xlmr_heads.py did not finish in 120 s");
            if (process.exitValue() == 3) fail("make_xlmr_heads.py needs python3-onnx and python3-numpy: " + log);
            assertTrue(process.exitValue() == 0, "make_xlmr_heads.py failed:\n" + log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        written = true;
        return OUT;
    }
}
