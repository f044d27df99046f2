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

    @Test
    void everyOutputFieldHasOneMeaning() throws Exception {
        // zero-shot: score is a probability (as a fine-tuned model's), the cosine is similarity
        CliTest.Run zeroShot = run("Shares fell 3% as markets slid\nThe match ended in a draw\n", "classify", "--labels", LABELS, "--all-scores");
        assertEquals(0, zeroShot.exit(), zeroShot.err());
        for (var line : zeroShot.lines()) {
            double score = line.get("score").asDouble(), sum = 0;
            assertTrue(score >= 0.5 && score <= 1, line.toString()); // the best of two labels
            for (var p : line.get("scores").properties()) sum += p.getValue().asDouble();
            assertEquals(1, sum, 1e-5, line.toString());
            double similarity = line.get("similarity").asDouble();
            assertTrue(similarity >= -1 && similarity <= 1, line.toString());
            assertEquals(similarity, line.get("similarities").get(line.get("label").asText()).asDouble(), 1e-6);
        }
        CliTest.Run fineTuned = run("a gorgeous movie\n", "classify", "--model", SST2);
        assertFalse(fineTuned.lines().getFirst().has("similarity"), fineTuned.lines().toString());
        // model: the form given, on every task
        assertEquals(SST2, fineTuned.lines().getFirst().get("model").asText());
        assertEquals("all-minilm-l6-v2", run("hello\n", "embed").lines().getFirst().get("model").asText());
        CliTest.Run generated = run("{\"text\": \"The company said\"}\n", "generate", "--model", NEWSGPT, "--max-new-tokens", "2");
        assertEquals(NEWSGPT, generated.lines().getFirst().get("model").asText(), generated.lines().toString());
    }

    @Test
    void aProbabilityFlagOutOfRangeNamesTheRange() throws Exception {
        CliTest.Run wrong = run("hello\n", "classify", "--labels", LABELS, "--min-score", "2");
        assertEquals(1, wrong.exit());
        assertTrue(sentence(wrong).contains("--min-score 2.0 is not a probability") && sentence(wrong).contains("[0, 1]"), sentence(wrong));
    }

    @Test
    void aHeadTrainedOnNumberedLabelsPrintsTheNamesGiven(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String data = "../shared/data/sst2/train.tsv";
        java.nio.file.Path unnamed = dir.resolve("unnamed"), named = dir.resolve("named");
        CliTest.Run plain = run("", "train", "--data", data, "--limit", "300", "--epochs", "3", "--out", unnamed.toString());
        assertEquals(0, plain.exit(), plain.err());
        assertTrue(plain.err().contains("--label-names 0=NAME,1=NAME"), plain.err());
        CliTest.Run train = run("", "train", "--data", data, "--limit", "300", "--epochs", "3", "--label-names", "0=negative,1=positive",
                "--out", named.toString());
        assertEquals(0, train.exit(), train.err());
        assertFalse(train.err().contains("--label-names"), train.err());
        CliTest.Run r = run("a gorgeous, witty, moving film\n", "classify", "--model", named.toString(), "--all-scores");
        assertEquals(0, r.exit(), r.err());
        var line = r.lines().getFirst();
        assertTrue(line.get("scores").has("negative") && line.get("scores").has("positive"), line.toString());
        assertEquals(named.toString(), line.get("model").asText());
        CliTest.Run wrongCount = run("", "train", "--data", data, "--limit", "50", "--label-names", "negative", "--out", dir.resolve("x").toString());
        assertEquals(1, wrongCount.exit());
        assertTrue(sentence(wrongCount).contains("--label-names 0=NAME,1=NAME"), sentence(wrongCount));
    }

    @Test
    void runWithABrokenTopologyListsEveryMistakeBeforeConnecting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("t.yaml");
        java.nio.file.Files.writeString(file, """
                stages:
                  - {name: a, task: embed, model: all-minilm-l6-v2, input: i, output: o, threads: -2}
                  - {name: b, task: clasify, model: all-minilm-l6-v2, input: o, output: p}
                """);
        CliTest.Run r = run("", "run", "--topology", file.toString(), "-b", "127.0.0.1:1");
        assertEquals(1, r.exit());
        String[] lines = r.err().strip().split("\n");
        assertEquals(3, lines.length, r.err());
        assertTrue(lines[0].startsWith("streamformer: 2 mistakes in the topology"), lines[0]);
        assertTrue(lines[1].startsWith(file + ":2: stages[0].threads: must be 0"), lines[1]);
        assertTrue(lines[2].startsWith(file + ":3: stages[1].task: 'clasify' is unknown (did you mean 'classify'?)"), lines[2]);
    }
}
