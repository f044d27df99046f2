package dev.streamformer.engine.java;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.onnx.OnnxEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The java engine against independent implementations on all 872 SST-2 dev sentences: ONNX Runtime on the same
 * .onnx files (through the onnx engine), and Hugging Face transformers' outputs in ../shared/reference.
 */
class JavaEngineExactnessTest {

    private static final int BATCH = 16;
    private static final double HIDDEN_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2"})
    void hiddenStatesMatchOnnxRuntime(String name) throws Exception {
        TestModels.Model model = TestModels.fromClasspath(name);
        List<String> texts = new ArrayList<>(TestModels.sst2Dev());
        texts.sort(java.util.Comparator.comparingInt(String::length)); // similar lengths per batch: little padding, faster
        double maxDiff = 0;
        double minCosine = 1;
        try (HuggingFaceTokenizer tokenizer = TestModels.tokenizer(model.tokenizerJson());
             OnnxEngine ort = new OnnxEngine(model.onnx(), 1, OnnxEngine.Device.CPU);
             JavaEngine engine = JavaEngine.load(model.onnx())) {
            assertTrue(ort.hasHiddenStates());
            int h = engine.config().hidden();
            for (int from = 0; from < texts.size(); from += BATCH) {
                TokenBatch batch = TestModels.batch(tokenizer, texts.subList(from, Math.min(texts.size(), from + BATCH)));
                float[] expected = ort.run(batch).hiddenStates().data();
                float[] actual = engine.run(batch).hiddenStates().data();
                assertEquals(expected.length, actual.length);
                for (int b = 0; b < batch.batchSize(); b++) {
                    int len = batch.length(b);
                    int row0 = b * batch.seqLen() * h;
                    for (int i = 0; i < len * h; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[row0 + i] - actual[row0 + i]));
                    minCosine = Math.min(minCosine, cosine(meanPool(expected, row0, len, h), meanPool(actual, row0, len, h)));
                }
            }
        }
        System.out.printf("%s: max |java - ort| = %.3g, min cosine of mean-pooled = %.8f%n", name, maxDiff, minCosine);
        assertTrue(maxDiff <= HIDDEN_TOLERANCE, name + ": hidden states differ from ONNX Runtime by " + maxDiff);
        assertTrue(minCosine >= 0.99999, name + ": pooled cosine " + minCosine);
    }

    /** Lengths SST-2 never reaches: up to all 512 positions, odd sizes, a single token; random word pieces. */
    @Test
    void longAndOddSequencesMatchOnnxRuntime() throws Exception {
        TestModels.Model model = TestModels.fromClasspath("all-minilm-l6-v2");
        java.util.Random random = new java.util.Random(7);
        int[] lengths = {512, 300, 129, 1, 37};
        int[][] ids = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            ids[i] = new int[lengths[i]];
            for (int j = 0; j < lengths[i]; j++) ids[i][j] = 1000 + random.nextInt(29000);
        }
        TokenBatch batch = TokenBatch.pad(ids, null, 0);
        double maxDiff = 0;
        try (OnnxEngine ort = new OnnxEngine(model.onnx(), 1, OnnxEngine.Device.CPU); JavaEngine engine = JavaEngine.load(model.onnx())) {
            float[] expected = ort.run(batch).hiddenStates().data();
            float[] actual = engine.run(batch).hiddenStates().data();
            for (int b = 0; b < lengths.length; b++) {
                int row0 = b * batch.seqLen() * 384;
                for (int i = 0; i < lengths[b] * 384; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[row0 + i] - actual[row0 + i]));
            }
        }
        System.out.printf("long sequences: max |java - ort| = %.3g%n", maxDiff);
        assertTrue(maxDiff <= HIDDEN_TOLERANCE, "hidden states differ from ONNX Runtime by " + maxDiff);
    }

    /** The same weights read from the ONNX file (fp16 behind Cast nodes) and from model.safetensors. */
    @Test
    void sst2LogitsMatchTransformersAndOnnxRuntimeFromBothWeightFiles() throws Exception {
        TestModels.Model model = TestModels.sst2();
        List<JsonNode> reference = new ArrayList<>(readJsonl("ref_sst2-minilm_dev.jsonl"));
        assertEquals(872, reference.size());
        reference.sort(java.util.Comparator.comparingInt(r -> r.get("text").asText().length())); // little padding per batch
        String[] files = {"model.onnx", "model.safetensors"};
        double[] maxVsReference = new double[2];
        double[] maxVsOrt = new double[2];
        int[] sameLabel = new int[2];
        try (HuggingFaceTokenizer tokenizer = TestModels.tokenizer(model.tokenizerJson());
             OnnxEngine ort = new OnnxEngine(model.onnx(), 1, OnnxEngine.Device.CPU);
             JavaEngine fromOnnx = JavaEngine.load(model.onnx().resolveSibling(files[0]));
             JavaEngine fromSafetensors = JavaEngine.load(model.onnx().resolveSibling(files[1]))) {
            JavaEngine[] engines = {fromOnnx, fromSafetensors};
            for (int from = 0; from < reference.size(); from += BATCH) {
                List<JsonNode> rows = reference.subList(from, Math.min(reference.size(), from + BATCH));
                TokenBatch batch = TestModels.batch(tokenizer, rows.stream().map(r -> r.get("text").asText()).toList());
                float[] ortLogits = ort.run(batch).logits().data();
                for (int e = 0; e < 2; e++) {
                    Engine.Output out = engines[e].run(batch);
                    assertArrayEquals(new int[] {batch.batchSize(), 2}, out.logits().shape());
                    float[] logits = out.logits().data();
                    for (int b = 0; b < rows.size(); b++) {
                        JsonNode ref = rows.get(b).get("logits");
                        for (int l = 0; l < 2; l++) {
                            maxVsReference[e] = Math.max(maxVsReference[e], Math.abs(logits[2 * b + l] - ref.get(l).asDouble()));
                            maxVsOrt[e] = Math.max(maxVsOrt[e], Math.abs(logits[2 * b + l] - ortLogits[2 * b + l]));
                        }
                        int javaLabel = logits[2 * b + 1] > logits[2 * b] ? 1 : 0;
                        int refLabel = ref.get(1).asDouble() > ref.get(0).asDouble() ? 1 : 0;
                        if (javaLabel == refLabel) sameLabel[e]++;
                    }
                }
            }
        }
        for (int e = 0; e < 2; e++) {
            System.out.printf("%s: max |java - transformers| = %.3g, max |java - ort| = %.3g, same label %d/872%n",
                    files[e], maxVsReference[e], maxVsOrt[e], sameLabel[e]);
            assertTrue(maxVsReference[e] <= 1e-4, files[e] + ": logits differ from transformers by " + maxVsReference[e]);
            assertTrue(maxVsOrt[e] <= 1e-4, files[e] + ": logits differ from ONNX Runtime by " + maxVsOrt[e]);
            assertEquals(872, sameLabel[e], files[e] + ": predicted labels");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.onnx", "model.safetensors"})
    void sst2HiddenStatesMatchTransformers(String weightsFile) throws Exception {
        List<JsonNode> reference = readJsonl("ref_sst2-minilm_hidden.jsonl");
        int[][] ids = new int[reference.size()][];
        for (int i = 0; i < ids.length; i++) {
            JsonNode row = reference.get(i).get("ids");
            ids[i] = new int[row.size()];
            for (int j = 0; j < row.size(); j++) ids[i][j] = row.get(j).asInt();
        }
        TokenBatch batch = TokenBatch.pad(ids, null, 0);
        double maxDiff = 0;
        try (JavaEngine engine = JavaEngine.load(TestModels.sst2().onnx().resolveSibling(weightsFile))) {
            var hidden = engine.run(batch).hiddenStates();
            for (int b = 0; b < ids.length; b++) {
                JsonNode rows = reference.get(b).get("last_hidden_state");
                assertEquals(ids[b].length, rows.size());
                for (int t = 0; t < rows.size(); t++) {
                    for (int d = 0; d < rows.get(t).size(); d++) {
                        maxDiff = Math.max(maxDiff, Math.abs(hidden.get(b, t, d) - rows.get(t).get(d).asDouble()));
                    }
                }
            }
        }
        System.out.printf(weightsFile + " hidden: max |java - transformers| = %.3g%n", maxDiff);
        assertTrue(maxDiff <= HIDDEN_TOLERANCE, "hidden states differ from transformers by " + maxDiff);
    }

    private static List<JsonNode> readJsonl(String file) throws Exception {
        var path = TestModels.SHARED.resolve("reference").resolve(file);
        assertTrue(Files.exists(path), "missing " + path.toAbsolutePath() + ": the tests need ../shared");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(path)) if (!line.isBlank()) rows.add(json.readTree(line));
        return rows;
    }

    private static double[] meanPool(float[] x, int row0, int len, int h) {
        double[] v = new double[h];
        for (int t = 0; t < len; t++) for (int d = 0; d < h; d++) v[d] += x[row0 + t * h + d];
        return v;
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
