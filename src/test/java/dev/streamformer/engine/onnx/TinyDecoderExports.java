package dev.streamformer.engine.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.java.decoder.Reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ONNX exports of the tiny decoders in ../shared/models, written by {@code src/test/python/export_decoder_onnx.py} into
 * {@code target/onnx-decoders/<model>} once per test JVM, and their reference rows.
 *
 * <p>The script needs Debian's {@code python3-onnx} and {@code python3-numpy}; it runs with {@code /usr/bin/python3}
 * (or the interpreter named by the system property {@code streamformer.python}).
 */
final class TinyDecoderExports {

    static final List<String> MODELS = List.of("tiny-llama3", "tiny-qwen2", "tiny-qwen3");
    static final String REFERENCE = "ref_tiny-decoders_greedy.jsonl";
    private static final Path SCRIPT = Path.of("src", "test", "python", "export_decoder_onnx.py");
    private static final Map<String, Path> EXPORTED = new HashMap<>();

    private TinyDecoderExports() {}

    /** The folder holding the model's export; tiny-qwen3 uses the onnx/model.onnx layout, the others model.onnx. */
    static synchronized Path folder(String model) {
        return EXPORTED.computeIfAbsent(model, TinyDecoderExports::export);
    }

    /** The reference rows of one model (13 each), in file order. */
    static List<JsonNode> rows(String model) {
        List<JsonNode> rows = Reference.rows(REFERENCE).stream().filter(r -> r.get("model").asText().equals(model)).toList();
        assertEquals(13, rows.size(), REFERENCE + " should hold 13 rows of " + model);
        return rows;
    }

    private static Path export(String model) {
        Path source = Reference.model(model);
        Path out = Path.of("target", "onnx-decoders", model);
        String python = System.getProperty("streamformer.python",
                Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        try {
            deleteTree(out);
            var command = new java.util.ArrayList<>(List.of(python, SCRIPT.toString(), source.toString(), out.toString()));
            if (model.equals("tiny-qwen3")) command.add("--onnx-subfolder");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the ONNX export of " + model + " did not finish in 120 s");
            if (process.exitValue() == 3) {
                fail("The tiny decoder ONNX export needs python3-onnx and python3-numpy: apt-get install python3-onnx python3-numpy ("
                        + log.strip() + ")");
            }
            assertEquals(0, process.exitValue(), python + " " + SCRIPT + " failed for " + model + ":\n" + log);
        } catch (IOException e) {
            fail("Cannot run " + python + " for the ONNX export (" + e.getMessage() + "): apt-get install python3 python3-onnx"
                    + " python3-numpy, or point -Dstreamformer.python at an interpreter that has onnx and numpy.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while exporting " + model);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
