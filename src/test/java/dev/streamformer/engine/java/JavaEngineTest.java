package dev.streamformer.engine.java;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.tensor.OnnxModelFile;
import dev.streamformer.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The java engine's contract beyond exactness: attention weights, concurrent callers, clear errors. */
class JavaEngineTest {

    private static TestModels.Model model;
    private static JavaEngine engine;
    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        model = TestModels.fromClasspath("all-minilm-l6-v2");
        engine = JavaEngine.load(model.onnx());
        tokenizer = TestModels.tokenizer(model.tokenizerJson());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        engine.close();
    }

    @Test
    void readsTheShapeOfMiniLmFromTheGraph() {
        EncoderConfig c = engine.config();
        assertEquals(6, c.layers());
        assertEquals(12, c.heads());   // 12 heads of 32, not hidden / 64
        assertEquals(32, c.headDim());
        assertEquals(1536, c.intermediate());
        assertEquals(1e-12f, c.layerNormEps());
        assertEquals(EncoderConfig.Activation.GELU_ERF, c.activation());
    }

    /** Layer-0 attention recomputed here in double precision, with plain loops, from the file's weights. */
    @Test
    void attentionWeightsAreLayerZerosSoftmaxAndOutputIsUnchanged() throws Exception {
        TokenBatch batch = TestModels.batch(tokenizer, List.of("a cat sat on the mat .", "attention is all you need"));
        JavaEngine.OutputWithAttention out = engine.runWithAttention(batch);
        // same numbers either way (up to the JIT swapping a vector reduction's order between compilation tiers)
        assertArrayEquals(engine.run(batch).hiddenStates().data(), out.output().hiddenStates().data(), 1e-5f);
        assertEquals(6, out.attentions().size());
        Tensor layer0 = out.attentions().getFirst();
        int t = batch.seqLen();
        assertArrayEquals(new int[] {2, 12, t, t}, layer0.shape());

        OnnxModelFile f = OnnxModelFile.read(model.onnx());
        int h = 384, dk = 32;
        float[] word = f.constant("embeddings.word_embeddings.weight").toFloats();
        float[] pos = f.constant("embeddings.position_embeddings.weight").toFloats();
        float[] type = f.constant("embeddings.token_type_embeddings.weight").toFloats();
        float[] g = f.constant("embeddings.LayerNorm.weight").toFloats();
        float[] beta = f.constant("embeddings.LayerNorm.bias").toFloats();
        float[] wq = f.constant(f.node("/encoder/layer.0/attention/self/query/MatMul").input(1)).toFloats(); // [in, out]
        float[] wk = f.constant(f.node("/encoder/layer.0/attention/self/key/MatMul").input(1)).toFloats();
        float[] bq = f.constant("encoder.layer.0.attention.self.query.bias").toFloats();
        float[] bk = f.constant("encoder.layer.0.attention.self.key.bias").toFloats();
        double maxDiff = 0;
        for (int b = 0; b < 2; b++) {
            int len = batch.length(b);
            double[][] x = new double[len][h];
            for (int i = 0; i < len; i++) {
                int id = (int) batch.inputIds()[b * t + i];
                double mean = 0, var = 0;
                for (int d = 0; d < h; d++) {
                    x[i][d] = word[id * h + d] + pos[i * h + d] + type[d];
                    mean += x[i][d] / h;
                }
                for (int d = 0; d < h; d++) var += (x[i][d] - mean) * (x[i][d] - mean) / h;
                for (int d = 0; d < h; d++) x[i][d] = (x[i][d] - mean) / Math.sqrt(var + 1e-12) * g[d] + beta[d];
            }
            double[][] q = project(x, wq, bq), k = project(x, wk, bk);
            for (int head = 0; head < 12; head++) {
                for (int i = 0; i < len; i++) {
                    double[] s = new double[len];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < len; j++) {
                        for (int d = 0; d < dk; d++) s[j] += q[i][head * dk + d] * k[j][head * dk + d];
                        s[j] /= Math.sqrt(dk);
                        max = Math.max(max, s[j]);
                    }
                    for (int j = 0; j < len; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j < t; j++) {
                        double expected = j < len ? s[j] / sum : 0;
                        double actual = layer0.data()[((b * 12 + head) * t + i) * t + j];
                        maxDiff = Math.max(maxDiff, Math.abs(expected - actual));
                    }
                }
                for (int i = len; i < t; i++) {
                    for (int j = 0; j < t; j++) assertEquals(0f, layer0.data()[((b * 12 + head) * t + i) * t + j], "padding row");
                }
            }
        }
        assertTrue(maxDiff < 1e-5, "layer-0 attention differs from a double-precision recomputation by " + maxDiff);
    }

    private static double[][] project(double[][] x, float[] wInOut, float[] bias) {
        int h = bias.length;
        double[][] y = new double[x.length][h];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < h; o++) {
                double s = bias[o];
                for (int d = 0; d < x[i].length; d++) s += x[i][d] * wInOut[d * h + o];
                y[i][o] = s;
            }
        }
        return y;
    }

    @Test
    void concurrentCallersGetTheSameResultsAsOneCaller() throws Exception {
        List<String> texts = TestModels.sst2Dev().subList(0, 48);
        List<TokenBatch> batches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += 6) batches.add(TestModels.batch(tokenizer, texts.subList(i, i + 6)));
        List<float[]> expected = new ArrayList<>();
        for (TokenBatch b : batches) expected.add(engine.run(b).hiddenStates().data());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                for (int i = 0; i < batches.size(); i++) {
                    int idx = (i + rep) % batches.size();
                    results.add(pool.submit(() -> maxAbsDiff(expected.get(idx), engine.run(batches.get(idx)).hiddenStates().data())));
                }
            }
            // not bit-for-bit: the JIT may swap a vector reduction's order between tiers; a race would show as garbage
            for (Future<Double> r : results) assertTrue(r.get() < 1e-5, "a concurrent call's hidden states differ by " + r.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    @Test
    void refusesAQuantizedModelInOneSentence() {
        TestModels.Model quantized = TestModels.fromClasspath("all-minilm-l6-v2-q");
        var e = assertThrows(IllegalArgumentException.class, () -> JavaEngine.load(quantized.onnx()));
        assertTrue(e.getMessage().contains("quantized") && e.getMessage().contains("--engine onnx"), e.getMessage());
    }

    @Test
    void rejectsInputsItCannotRunWithAClearMessage() {
        TokenBatch badId = TokenBatch.pad(new int[][] {{101, 40000, 102}}, null, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.run(badId)).getMessage().contains("vocabulary"));
        TokenBatch tooLong = TokenBatch.pad(new int[][] {new int[600]}, null, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.run(tooLong)).getMessage().contains("truncate"));
        TokenBatch leftPadded = new TokenBatch(1, 3, new long[] {0, 101, 102}, new long[] {0, 1, 1}, new long[3]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.run(leftPadded)).getMessage().contains("right-padded"));
        Engine.Output empty = engine.run(TokenBatch.pad(new int[][] {{101, 102}, {101, 7592, 102}}, null, 0));
        assertArrayEquals(new int[] {2, 3, 384}, empty.hiddenStates().shape());
    }
}
