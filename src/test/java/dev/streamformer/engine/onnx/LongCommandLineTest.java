package dev.streamformer.engine.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.app.Main;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX Runtime's start-up reads {@code /proc/self/cmdline}; with a long command line it used to overflow the main
 * thread's stack and kill the JVM with SIGSEGV (exit 139, no hs_err file). {@link OnnxEngine} now starts ORT on a thread
 * with a large stack. This runs {@code streamformer embed} in a child JVM whose {@code -cp} is padded to 32 KB, as an
 * IDE or a build tool would write it.
 */
class LongCommandLineTest {

    @Test
    void embedSurvivesA32KbClasspath() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var padded = new StringBuilder(classpath);
        for (int i = 0; padded.length() < 32_768; i++) {
            padded.append(File.pathSeparator).append("/nonexistent/padding/entry-").append(i).append(".jar");
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", padded.toString(), Main.class.getName(),
                "embed", "--model", "all-minilm-l6-v2"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var stdin = child.getOutputStream()) {
            stdin.write("{\"text\":\"a long classpath must not crash the model\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "embed did not finish");
        assertEquals(0, child.exitValue(), "embed exited with " + child.exitValue() + " (139 is SIGSEGV); stdout: " + out);
        var embedding = new ObjectMapper().readTree(out.lines().findFirst().orElseThrow()).get("embedding");
        assertEquals(384, embedding.size(), out);
    }
}
