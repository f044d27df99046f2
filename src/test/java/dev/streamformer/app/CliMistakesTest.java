package dev.streamformer.app;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static dev.streamformer.app.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mistakes a newcomer makes in the first hour, each answered with one sentence that names the flag or value that
 * fixes it; where it can run here, the fix it names is run too and works.
 */
class CliMistakesTest {

    static final String SST2 = "../shared/models/sst2-minilm", NEWSGPT = "../shared/models/newsgpt-mini";
    static final String LABELS = "sports=a story about sports,business=news about business";

    /** The last line of stderr: the one sentence (logs and the JVM's own warnings may come before it). */
    private static String sentence(CliTest.Run r) {
        String[] lines = r.err().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void zeroShotLabelsOnAFineTunedClassifierSayDropLabels() throws Exception {
        CliTest.Run wrong = run("a gorgeous movie\n", "classify", "--labels", LABELS, "--model", SST2);
        assertEquals(1, wrong.exit());
        assertTrue(sentence(wrong).contains("drop --labels"), sentence(wrong));
        assertFalse(sentence(wrong).contains("--task"), "classify has no --task flag: " + sentence(wrong));
        CliTest.Run fixed = run("a gorgeous movie\n", "classify", "--model", SST2);
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("positive", fixed.lines().getFirst().get("label").asText());
    }

    @Test
    void aGeneratorGivenToEmbedPointsToGenerateOnEitherEngine() throws Exception {
        CliTest.Run onnx = run("hello\n", "embed", "--model", NEWSGPT);
        CliTest.Run java = run("hello\n", "embed", "--model", NEWSGPT, "--engine", "java");
        assertEquals(1, onnx.exit());
        assertEquals(sentence(onnx), sentence(java), "the two engines must not send the user back and forth");
        assertTrue(sentence(onnx).contains("streamformer generate --model " + NEWSGPT), sentence(onnx));
        assertTrue(sentence(onnx).contains("--model all-minilm-l6-v2"), sentence(onnx));
        CliTest.Run fixed = run("hello\n", "embed", "--model", "all-minilm-l6-v2");
        assertEquals(0, fixed.exit(), fixed.err());
    }

    @Test
    void labelsWithoutDescriptionsShowTheFormToWrite() throws Exception {
        CliTest.Run wrong = run("Shares fell 3%\n", "classify", "--labels", "sports,business");
        assertEquals(1, wrong.exit());
        String example = "--labels \"" + LABELS + "\"";
        assertTrue(sentence(wrong).contains(example), sentence(wrong));
        CliTest.Run fixed = run("Shares fell 3%\n", "classify", "--labels", LABELS);
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("business", fixed.lines().getFirst().get("label").asText());
    }

    @Test
    void aRejectedLongTextNamesTheOverflowFlag() throws Exception {
        String longText = "word ".repeat(400) + "\n";
        CliTest.Run wrong = run(longText, "embed", "--overflow", "reject");
        String error = wrong.lines().getFirst().get("error").asText();
        assertTrue(error.contains("--overflow truncate"), error);
        CliTest.Run fixed = run(longText, "embed", "--overflow", "truncate");
        assertTrue(fixed.lines().getFirst().has("embedding"), fixed.lines().toString());
    }

    @Test
    void aBadFlagValueIsOneLineNotTheUsage() throws Exception {
        CliTest.Run r = run("", "embed", "--max-batch", "abc");
        assertEquals(2, r.exit());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].contains("--max-batch") && lines[0].contains("streamformer embed --help"), lines[0]);
    }

    @Test
    void emptyAndOverLongTextsFollowTheKafkaRules() throws Exception {
        CliTest.Run r = run("   \n{\"text\": \"\"}\n" + "a".repeat(70_000) + "\n", "embed");
        assertEquals(0, r.exit());
        assertTrue(r.lines().get(0).get("error").asText().contains("empty or only whitespace"), r.lines().toString());
        assertTrue(r.lines().get(1).get("error").asText().contains("empty or only whitespace"), r.lines().toString());
        String tooLong = r.lines().get(2).get("error").asText();
        assertTrue(tooLong.contains("--max-text-bytes"), tooLong);
        CliTest.Run raised = run("a".repeat(70_000) + "\n", "embed", "--max-text-bytes", "100000");
        assertTrue(raised.lines().getFirst().has("embedding"), raised.lines().toString());
    }

    @Test
    void noBrokerIsOneSentenceWithinSecondsBeforeAnyModelLoads() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        CliTest.Run r = run("", "run", "--bootstrap-servers", "127.0.0.1:" + port, "--input-topic", "events", "--output-topic", "out");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, r.exit());
        assertTrue(sentence(r).startsWith("streamformer: Cannot reach Kafka at 127.0.0.1:" + port + " within 5 s")
                && sentence(r).contains("--bootstrap-servers"), sentence(r));
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void describeNeedsNoKafka() throws Exception {
        long start = System.nanoTime();
        CliTest.Run r = run("", "run", "--input-topic", "events", "--output-topic", "out", "-b", "127.0.0.1:1", "--describe");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("WARN"), r.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 30);
    }

    @Test
    void validateReportsEveryMistakeThenOkOnceFixed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("t.yaml");
        java.nio.file.Files.writeString(file, """
                stages:
                  - name: a
                    task: classify
                    model: ../shared/models/sst2-minlm
                    input: reviews
                    output: reviews.scored
                    threshold: 2
                    batching: {maxRecords: lots}
                """);
        CliTest.Run wrong = run("", "validate", file.toString());
        assertEquals(1, wrong.exit());
        String[] lines = wrong.err().strip().split("\n");
        assertEquals(4, lines.length, wrong.err());
        assertTrue(lines[0].startsWith(file + ":4: stages[0].model: '../shared/models/sst2-minlm' is neither"), lines[0]);
        assertTrue(lines[0].contains("did you mean '../shared/models/sst2-minilm'?"), lines[0]);
        assertTrue(lines[1].startsWith(file + ":7: stages[0].threshold: must be in [0, 1]"), lines[1]);
        assertTrue(lines[2].startsWith(file + ":8: stages[0].batching.maxRecords: must be a whole number, got 'lots'"), lines[2]);
        assertTrue(lines[3].contains("3 mistakes"), lines[3]);
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replace("sst2-minlm", "sst2-minilm")
                .replace("threshold: 2", "threshold: 0.9").replace("lots", "16"));
        CliTest.Run fixed = run("", "validate", file.toString());
        assertEquals(0, fixed.exit(), fixed.err());
    }
}
