package dev.streamformer.task;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.tensor.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --task rerank} on a cross-encoder built from tiny-xlmr (a random RobertaClassificationHead, see {@link XlmrHeads}):
 * first the ONNX graph is proven against the head computed here from the plain encoder's ONNX output; then the java
 * engine's logits against ONNX Runtime's on pairs tokenized by Hugging Face tokenizers (DJL); then the task's rankings
 * on both engines against sigmoid of those ORT logits.
 */
class RerankTaskTest {

    private static final double TOLERANCE = 1e-5;
    private static List<String> texts;

    @BeforeAll
    static void readTexts() throws IOException {
        ObjectMapper json = new ObjectMapper();
        texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../shared/reference/ref_tiny-xlmr.jsonl"))) {
            if (!line.isBlank()) texts.add(json.readTree(line).get("text").asText());
        }
    }

    /** Queries (the start of a text) and five passages each. */
    private static List<RerankTask.Query> queries() {
        List<RerankTask.Query> out = new ArrayList<>();
        for (int q = 0; q < 6; q++) {
            String text = texts.get(q * 5);
            out.add(new RerankTask.Query(text.substring(0, Math.min(40, text.length())), texts.subList(q * 5 + 1, q * 5 + 6)));
        }
        return out;
    }

    /** The graph's logits equal tanh-dense-out_proj of the plain encoder's {@code <s>} vector, with the safetensors weights. */
    @Test
    void theOnnxHeadComputesRobertasClassificationHead() throws Exception {
        Path dir = XlmrHeads.rerank();
        List<int[]> pairs = pairIds(dir);
        TokenBatch batch = TokenBatch.pad(pairs.toArray(int[][]::new), null, 1);
        try (OnnxEngine head = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU);
             OnnxEngine plain = new OnnxEngine(XlmrHeads.TINY_XLMR.resolve("model.onnx"), 1, OnnxEngine.Device.CPU);
             SafeTensors weights = SafeTensors.open(dir.resolve("model.safetensors"))) {
            float[] logits = head.run(batch).logits().data();
            float[] hidden = plain.run(batch).hiddenStates().data();          // (batch, T, 64)
            float[] wd = weights.floats("classifier.dense.weight"), bd = weights.floats("classifier.dense.bias");
            float[] wo = weights.floats("classifier.out_proj.weight"), bo = weights.floats("classifier.out_proj.bias");
            double max = 0;
            for (int b = 0; b < batch.batchSize(); b++) {
                int row0 = b * batch.seqLen() * 64;                          // token 0: <s>
                double out = bo[0];
                for (int i = 0; i < 64; i++) {
                    double d = bd[i];
                    for (int j = 0; j < 64; j++) d += wd[i * 64 + j] * hidden[row0 + j];
                    out += wo[i] * Math.tanh(d);
                }
                max = Math.max(max, Math.abs(out - logits[b]));
            }
            System.out.printf("rerank head: max |ORT graph - head computed from ORT encoder| = %.3g over %d pairs%n", max, pairs.size());
            assertTrue(max <= TOLERANCE, "the ONNX head differs by " + max);
        }
    }

    @Test
    void javaEngineLogitsMatchOnnxRuntime() throws Exception {
        Path dir = XlmrHeads.rerank();
        List<int[]> pairs = pairIds(dir);
        TokenBatch batch = TokenBatch.pad(pairs.toArray(int[][]::new), null, 1);
        Engine java = LoadedModel.load(dir.toString(), new EngineOptions("java", "cpu", 1)).engine();
        try (OnnxEngine ort = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            Engine.Output expected = ort.run(batch);
            Engine.Output actual = java.run(batch);
            assertEquals(pairs.size(), actual.logits().data().length);
            double max = 0, maxLogit = 0, maxHidden = 0;
            for (int i = 0; i < pairs.size(); i++) {
                max = Math.max(max, Math.abs(expected.logits().data()[i] - actual.logits().data()[i]));
                maxLogit = Math.max(maxLogit, Math.abs(expected.logits().data()[i]));
                int row0 = i * batch.seqLen() * 64;
                for (int j = 0; j < pairs.get(i).length * 64; j++) {
                    maxHidden = Math.max(maxHidden, Math.abs(expected.hiddenStates().data()[row0 + j] - actual.hiddenStates().data()[row0 + j]));
                }
            }
            System.out.printf("rerank: max |java - ORT| over %d pairs: hidden %.3g, logit %.3g (largest |logit| %.3g)%n",
                    pairs.size(), maxHidden, max, maxLogit);
            // pairs are long (up to ~200 tokens): the bound JavaEngineExactnessTest uses for hidden states and SST-2 logits
            assertTrue(maxHidden <= 1e-4, "hidden states differ by " + maxHidden);
            assertTrue(max <= 1e-4, "logits differ by " + max);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "onnx"})
    void rankingsAreSigmoidOfOnnxRuntimeLogitsSortedBestFirst(String engine) throws Exception {
        Path dir = XlmrHeads.rerank();
        List<RerankTask.Query> queries = queries();
        List<int[]> pairs = pairIds(dir);
        float[] logits;
        try (OnnxEngine ort = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            logits = ort.run(TokenBatch.pad(pairs.toArray(int[][]::new), null, 1)).logits().data();
        }
        RerankTask task = new RerankTask(LoadedModel.load(dir.toString(), new EngineOptions(engine, "cpu", 1)),
                new TokenBudget(512, 7), Overflow.TRUNCATE, null);
        List<List<RerankTask.Scored>> rankings = task.rerank(queries);
        double max = 0;
        for (int q = 0; q < queries.size(); q++) {
            List<RerankTask.Scored> ranking = rankings.get(q);
            assertEquals(5, ranking.size());
            for (int r = 0; r < ranking.size(); r++) {
                RerankTask.Scored s = ranking.get(r);
                double want = 1 / (1 + Math.exp(-logits[q * 5 + s.index()]));
                max = Math.max(max, Math.abs(want - s.score()));
                assertEquals(queries.get(q).passages().get(s.index()), s.passage());
                if (r > 0) assertTrue(ranking.get(r - 1).score() >= s.score(), "not sorted best first");
            }
        }
        System.out.printf("rerank task, %s engine: max |score - sigmoid(ORT logit)| = %.3g%n", engine, max);
        assertTrue(max <= TOLERANCE, engine + ": scores differ by " + max);
    }

    @Test
    void eventsCarryAQueryAndPassagesOrTheStageGivesTheQuery() throws Exception {
        Path dir = XlmrHeads.rerank();
        LoadedModel model = LoadedModel.load(dir.toString(), new EngineOptions("java", "cpu", 1));
        ObjectMapper json = new ObjectMapper();
        RerankTask withoutQuery = new RerankTask(model, TokenBudget.DEFAULT, Overflow.TRUNCATE, null);
        EventInput input = withoutQuery.input();
        ObjectNode full = (ObjectNode) json.readTree("{\"query\": \"wo?\", \"passages\": [\"hier\", \"dort\"]}");
        assertTrue(input.readsWithoutText(full));
        List<ObjectNode> out = withoutQuery.run(List.of(input.read(full, null)));
        JsonNode ranking = out.getFirst().get("ranking");
        assertEquals(2, ranking.size());
        assertTrue(ranking.get(0).get("score").asDouble() >= ranking.get(1).get("score").asDouble());

        ObjectNode textOnly = (ObjectNode) json.readTree("{\"text\": \"hier\"}");
        var e = assertThrows(InvalidInputException.class, () -> input.read(textOnly, "hier"));
        assertEquals("missing-query", e.reason());
        RerankTask withQuery = new RerankTask(model, TokenBudget.DEFAULT, Overflow.TRUNCATE, "wo?");
        JsonNode one = withQuery.run(List.of(withQuery.input().read(textOnly, "hier"))).getFirst().get("ranking");
        assertEquals(1, one.size());
        JsonNode hier = ranking.get(0).get("passage").asText().equals("hier") ? ranking.get(0) : ranking.get(1);
        assertEquals(0, hier.get("index").asInt());
        assertEquals(hier.get("score").asDouble(), one.get(0).get("score").asDouble(), 1e-6);   // same pair, same score

        ObjectNode bad = (ObjectNode) json.readTree("{\"query\": \"wo?\", \"passages\": [\"hier\", 3]}");
        assertEquals("bad-passages", assertThrows(InvalidInputException.class, () -> input.read(bad, null)).reason());
    }

    @Test
    void refusesAModelThatIsNoCrossEncoder() {
        LoadedModel embedder = LoadedModel.load(XlmrHeads.TINY_XLMR.toString(), new EngineOptions("java", "cpu", 1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RerankTask(embedder, TokenBudget.DEFAULT, Overflow.TRUNCATE, null));
        assertTrue(e.getMessage().contains("cross-encoder"), e.getMessage());
    }

    /** The (query, passage) pairs of {@link #queries}, tokenized by Hugging Face tokenizers: {@code <s> q </s></s> p </s>}. */
    private static List<int[]> pairIds(Path dir) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        List<int[]> out = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve("tokenizer.json"))
                .optPadding(false).optTruncation(true).optMaxLength(512).build()) {
            for (RerankTask.Query q : queries()) {
                for (String passage : q.passages()) {
                    long[] ids = tokenizer.encode(q.query(), passage).getIds();
                    int[] row = new int[ids.length];
                    for (int i = 0; i < ids.length; i++) row[i] = (int) ids[i];
                    out.add(row);
                }
            }
        }
        return out;
    }
}
