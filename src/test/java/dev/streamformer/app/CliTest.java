package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end through picocli, stdin and stdout, with real models on both engines. */
class CliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, List<JsonNode> lines, String err) {}

    static synchronized Run run(String stdin, String... args) throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine().execute(args);
            System.out.flush();
            List<JsonNode> lines = new ArrayList<>();
            for (String l : o.toString(StandardCharsets.UTF_8).split("\n")) if (l.startsWith("{")) lines.add(JSON.readTree(l));
            return new Run(exit, lines, e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
    }

    static final String INPUT = """
            {"id": 1, "text": "Kafka topics carry events."}
            a plain line of text
            {"id": 3, "text": 7}
            {"id": 4, "text": "Die Katze schläft auf dem Sofa. 😺"}
            """;

    @Test
    void embedGivesTheSameVectorsOnBothEngines() throws Exception {
        Run onnx = run(INPUT, "embed", "--engine", "onnx");
        Run java = run(INPUT, "embed", "--engine", "java");
        assertEquals(0, onnx.exit(), onnx.err());
        assertEquals(0, java.exit(), java.err());
        assertEquals(4, onnx.lines().size());
        assertTrue(onnx.lines().get(2).has("error"));
        for (int i : new int[]{0, 1, 3}) {
            JsonNode a = onnx.lines().get(i).get("embedding"), b = java.lines().get(i).get("embedding");
            assertEquals(384, a.size());
            double dot = 0;
            for (int j = 0; j < a.size(); j++) dot += a.get(j).asDouble() * b.get(j).asDouble();
            assertTrue(dot >= 0.99999, "cosine " + dot);   // both L2-normalised
            assertEquals("all-minilm-l6-v2", onnx.lines().get(i).get("model").asText());
        }
    }

    @Test
    void classifyOnBothEngines() throws Exception {
        String model = "../shared/models/sst2-minilm";
        String in = "{\"text\": \"a gorgeous , witty , seductive movie .\"}\n{\"text\": \"a dull , lifeless mess .\"}\n";
        for (String engine : new String[]{"onnx", "java"}) {
            Run r = run(in, "classify", "--model", model, "--engine", engine, "--all-scores");
            assertEquals(0, r.exit(), r.err());
            assertEquals("positive", r.lines().get(0).get("label").asText());
            assertEquals("negative", r.lines().get(1).get("label").asText());
            assertTrue(r.lines().get(0).get("scores").has("negative"));
        }
    }

    @Test
    void generateFromJsonLines() throws Exception {
        Run r = run("{\"text\": \"The company said\"}\n", "generate", "--model", "../shared/models/newsgpt-mini", "--max-new-tokens", "8",
                "--ignore-eos");
        assertEquals(0, r.exit(), r.err());
        JsonNode out = r.lines().getFirst();
        assertEquals(8, out.get("generated_tokens").asInt());
        assertEquals("length", out.get("finish_reason").asText());
        assertTrue(out.get("generated").asText().length() > 0);
    }

    @Test
    void anUnloadableModelIsOneLine() throws Exception {
        Run r = run("hi\n", "embed", "--model", "/no/such/dir");
        assertEquals(1, r.exit());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("streamformer: Model '/no/such/dir' is neither a built-in id"), last);
    }
}
