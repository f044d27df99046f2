package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Lines contract of the CLI: one output line per input line, in order, bad lines as error lines. */
class JsonLinesTest {

    /** Stands in for a model: the line logic under test does not depend on what the task computes. */
    static final Function<List<String>, List<ObjectNode>> LENGTH = texts -> {
        List<ObjectNode> out = new ArrayList<>();
        for (String t : texts) {
            if (t.equals("explode")) throw new IllegalStateException("the model failed on this text");
            out.add(JsonNodeFactory.instance.objectNode().put("length", t.length()));
        }
        return out;
    };

    static List<JsonNode> run(byte[] input, boolean failFast, int[] exit) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        JsonLines lines = new JsonLines("text", 64 * 1024, failFast, new Progress(System.err, false), String::length, "m");
        exit[0] = lines.run(new ByteArrayInputStream(input), out, LENGTH);
        List<JsonNode> nodes = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : bytes.toString(StandardCharsets.UTF_8).split("\n")) if (!l.isEmpty()) nodes.add(json.readTree(l));
        return nodes;
    }

    @Test
    void everyLineGetsAnAnswerInOrder() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write("{\"id\":1,\"text\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8));
        in.write("plain text line\n".getBytes(StandardCharsets.UTF_8));
        in.write("{\"id\":3,\"text\":\"broken\"\n".getBytes(StandardCharsets.UTF_8));
        in.write(new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
        in.write("{\"id\":5}\n".getBytes(StandardCharsets.UTF_8));
        in.write("{\"id\":6,\"text\":42}\n".getBytes(StandardCharsets.UTF_8));
        in.write("{\"id\":7,\"text\":\"explode\"}\n".getBytes(StandardCharsets.UTF_8));
        in.write("{\"id\":8,\"text\":\"héllo 😀\"}\r\n".getBytes(StandardCharsets.UTF_8));
        in.write("[1,2]\n".getBytes(StandardCharsets.UTF_8));
        int[] exit = new int[1];
        List<JsonNode> out = run(in.toByteArray(), false, exit);
        assertEquals(0, exit[0]);
        assertEquals(9, out.size());
        assertEquals(1, out.get(0).get("id").asInt());
        assertEquals(5, out.get(0).get("length").asInt());
        assertEquals("m", out.get(0).get("model").asText());
        assertEquals("plain text line", out.get(1).get("text").asText());
        assertTrue(out.get(2).get("error").asText().contains("not valid JSON"));
        assertEquals(3, out.get(2).get("line").asInt());
        assertTrue(out.get(3).get("error").asText().contains("UTF-8"));
        assertTrue(out.get(4).get("error").asText().contains("no 'text' field"));
        assertTrue(out.get(5).get("error").asText().contains("number"));
        assertEquals("the model failed on this text", out.get(6).get("error").asText());
        assertEquals(8, out.get(7).get("length").asInt(), "\\r stripped, text kept as UTF-16 chars");
        assertEquals("[1,2]", out.get(8).get("text").asText(), "a line that is not an object is plain text");
    }

    @Test
    void failFastStopsAtTheFirstBadLine() throws Exception {
        int[] exit = new int[1];
        List<JsonNode> out = run("ok\n{bad\nnever\n".getBytes(StandardCharsets.UTF_8), true, exit);
        assertEquals(1, exit[0]);
        assertFalse(out.stream().anyMatch(n -> "never".equals(n.path("text").asText())));
    }

    @Test
    void withValueFormatTextEveryLineIsTheTextAndTextOutputIsTheGeneratedTextAlone() throws Exception {
        var options = new LineOptions();
        options.textField = "text";
        options.maxTextBytes = 1024;
        options.valueFormat = "text";
        Function<List<String>, List<ObjectNode>> generate = texts -> texts.stream()
                .map(t -> JsonNodeFactory.instance.objectNode().put("generated", "re: " + t)).toList();
        byte[] input = "{\"looks\": \"like json\"}\nplain\n".getBytes(StandardCharsets.UTF_8);

        var json = new ByteArrayOutputStream();
        new JsonLines(options, new Progress(System.err, false), String::length, null, dev.streamformer.task.EventInput.TEXT)
                .run(new ByteArrayInputStream(input), new PrintStream(json, true, StandardCharsets.UTF_8), generate);
        assertEquals("{\"text\":\"{\\\"looks\\\": \\\"like json\\\"}\",\"generated\":\"re: {\\\"looks\\\": \\\"like json\\\"}\"}\n"
                + "{\"text\":\"plain\",\"generated\":\"re: plain\"}\n", json.toString(StandardCharsets.UTF_8));

        options.outputFormat = "text";
        var text = new ByteArrayOutputStream();
        new JsonLines(options, new Progress(System.err, false), String::length, null, dev.streamformer.task.EventInput.TEXT)
                .run(new ByteArrayInputStream(input), new PrintStream(text, true, StandardCharsets.UTF_8), generate);
        assertEquals("re: {\"looks\": \"like json\"}\nre: plain\n", text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownValueFormatIsRefusedNamingTheKnownOnes() {
        var options = new LineOptions();
        options.valueFormat = "yaml";
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, options::format);
        assertTrue(e.getMessage().startsWith("Unknown value format 'yaml': use one of avro, json, json-schema, protobuf, text"), e.getMessage());
    }

    /** Sizes of the batches the model was handed, running {@code input} through the lines. */
    private static List<Integer> modelCalls(java.io.InputStream input) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        JsonLines lines = new JsonLines("text", 64 * 1024, false, new Progress(System.err, false), String::length, "m");
        lines.run(input, new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8), texts -> {
            sizes.add(texts.size());
            return LENGTH.apply(texts);
        });
        return sizes;
    }

    @Test
    void bulkInputGoesToTheModelInChunksOfAtMost4096LinesOr16MiB() throws Exception {
        assertEquals(List.of(JsonLines.CHUNK_LINES, JsonLines.CHUNK_LINES, 10_000 - 2 * JsonLines.CHUNK_LINES),
                modelCalls(new ByteArrayInputStream("short line\n".repeat(10_000).getBytes(StandardCharsets.UTF_8))));
        String longLine = "x".repeat(8 * 1024) + "\n";   // 2,048 of them make 16 MiB
        assertEquals(List.of(2048, 3000 - 2048),
                modelCalls(new ByteArrayInputStream(longLine.repeat(3000).getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aPauseInTheInputSendsTheLinesReadSoFar() throws Exception {
        byte[] bytes = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        var interactive = new ByteArrayInputStream(bytes) {
            @Override public synchronized int available() {   // like a terminal: nothing waits after a line's end
                return pos > 0 && buf[pos - 1] == '\n' ? 0 : super.available();
            }
        };
        assertEquals(List.of(1, 1, 1), modelCalls(interactive));
    }

    @Test
    void aTimedRunCountsEachStageOnItsOwn() throws Exception {
        // each line takes 20 ms to arrive and 100 ms in the model; a pause after each line sends it alone
        byte[] bytes = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        var slow = new ByteArrayInputStream(bytes) {
            private boolean atLineStart() { return pos == 0 || buf[pos - 1] == '\n'; }
            @Override public synchronized int read() {
                if (atLineStart() && pos < count) sleep(20);
                return super.read();
            }
            @Override public synchronized int available() { return atLineStart() ? 0 : super.available(); }
        };
        Function<List<String>, List<ObjectNode>> slowModel = texts -> {
            sleep(100);
            return LENGTH.apply(texts);
        };
        var times = new JsonLines.StageTimes();
        ByteArrayOutputStream bytesOut = new ByteArrayOutputStream();
        int exit = new JsonLines("text", 64 * 1024, false, new Progress(System.err, false), String::length, "m").timed(times)
                .run(slow, new PrintStream(bytesOut, true, StandardCharsets.UTF_8), slowModel);
        assertEquals(0, exit);
        assertEquals(3, bytesOut.toString(StandardCharsets.UTF_8).split("\n").length);
        long ms = 1_000_000;
        assertTrue(times.read >= 60 * ms, "read " + times.read / ms + " ms, 3 lines of 20 ms");
        assertTrue(times.model >= 300 * ms, "model " + times.model / ms + " ms, 3 calls of 100 ms");
        assertTrue(times.read < 300 * ms, "read " + times.read / ms + " ms must not count the model's time");
        assertTrue(times.write > 0, "write " + times.write);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
