package dev.streamformer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embed task on sentence-transformers folders with no streamformer.yaml: tiny-xlmr as shipped (against the
 * reference embeddings of an independent numpy port of transformers), and copies of it with other pooling configs,
 * checked against pooling computed here from ONNX Runtime's token vectors of the reference ids.
 */
class SentenceTransformersEmbedTest {

    static final Path TINY_XLMR = Path.of("../shared/models/tiny-xlmr");
    private static final double TOLERANCE = 1e-5;

    private static List<String> texts;
    private static List<int[]> ids;
    private static List<float[]> expected;

    @BeforeAll
    static void readReference() throws IOException {
        Path file = Path.of("../shared/reference/ref_tiny-xlmr.jsonl");
        assertTrue(Files.exists(file), "missing " + file.toAbsolutePath() + ": the tests need ../shared");
        ObjectMapper json = new ObjectMapper();
        texts = new ArrayList<>();
        ids = new ArrayList<>();
        expected = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode row = json.readTree(line);
            texts.add(row.get("text").asText());
            ids.add(ints(row.get("ids")));
            expected.add(floats(row.get("embedding")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "onnx"})
    void tinyXlmrAsShippedGivesTheReferenceEmbeddings(String engine) {
        EmbedTask task = new EmbedTask(LoadedModel.load(TINY_XLMR.toString(), new EngineOptions(engine, "cpu", 1)),
                TokenBudget.DEFAULT, Overflow.TRUNCATE, null);
        float[][] actual = task.embed(texts);
        double max = 0;
        double minCosine = 1;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(64, actual[i].length);
            max = Math.max(max, maxDiff(expected.get(i), actual[i]));
            minCosine = Math.min(minCosine, dot(expected.get(i), actual[i]));
        }
        System.out.printf("tiny-xlmr embed task, %s engine: max |embedding - reference| = %.3g, min cosine = %.9f%n", engine, max, minCosine);
        assertTrue(max <= TOLERANCE, engine + ": embeddings differ from the reference by " + max);
        assertTrue(minCosine >= 0.99999, engine + ": cosine " + minCosine);
    }

    /** Each pooling mode sentence-transformers writes, with and without Normalize, on the java engine vs pooling of ORT's output. */
    @ParameterizedTest
    @CsvSource({
            "pooling_mode_cls_token, true",
            "pooling_mode_max_tokens, false",
            "pooling_mode_mean_tokens, false",
            "pooling_mode_mean_sqrt_len_tokens, true",
            "pooling_mode_lasttoken, false",
            "pooling_mode_weightedmean_tokens, true"})
    void poolingModesMatchPoolingComputedFromOnnxRuntimesTokenVectors(String mode, boolean normalize, @TempDir Path dir) throws IOException {
        copyFixture(dir);
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\": 64, \"pooling_mode_mean_tokens\": "
                + mode.equals("pooling_mode_mean_tokens") + ", \"" + mode + "\": true}");
        if (!normalize) {
            Files.writeString(dir.resolve("modules.json"), """
                    [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]""");
        }
        EmbedTask task = new EmbedTask(LoadedModel.load(dir.toString(), new EngineOptions("java", "cpu", 1)),
                new TokenBudget(2048, 8), Overflow.TRUNCATE, null);
        float[][] actual = task.embed(texts);
        double max = 0;
        try (OnnxEngine ort = new OnnxEngine(TINY_XLMR.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            for (int i = 0; i < texts.size(); i++) {
                int[] row = ids.get(i);
                Tensor hidden = ort.run(TokenBatch.pad(new int[][] {row}, null, 1)).hiddenStates();   // (1, T, 64)
                float[] want = pool(mode, hidden.data(), row.length, 64);
                if (normalize) normalizeL2(want);
                max = Math.max(max, maxDiff(want, actual[i]));
            }
        }
        System.out.printf("tiny-xlmr %s%s: max |java task - pooled ORT| = %.3g%n", mode, normalize ? " + Normalize" : "", max);
        assertTrue(max <= TOLERANCE, mode + ": differs from pooling of ORT's output by " + max);
    }

    /** A default prompt goes before every text; {@code --prefix ''} turns it off; a named prompt picks that one. */
    @Test
    void promptsFromConfigSentenceTransformers(@TempDir Path withPrompts, @TempDir Path plain) throws IOException {
        copyFixture(withPrompts);
        copyFixture(plain);
        Files.writeString(withPrompts.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": \"query\"}");
        EngineOptions java = new EngineOptions("java", "cpu", 1);
        LoadedModel prompted = LoadedModel.load(withPrompts.toString(), java);
        LoadedModel bare = LoadedModel.load(plain.toString(), java);
        List<String> some = texts.subList(0, 5);
        float[][] byDefault = new EmbedTask(prompted, TokenBudget.DEFAULT, Overflow.TRUNCATE, null).embed(some);
        float[][] passage = new EmbedTask(prompted, TokenBudget.DEFAULT, Overflow.TRUNCATE, "passage").embed(some);
        float[][] none = new EmbedTask(prompted, TokenBudget.DEFAULT, Overflow.TRUNCATE, "").embed(some);
        for (int i = 0; i < some.size(); i++) {
            List<String> one = List.of(some.get(i));
            EmbedTask literal = new EmbedTask(bare, TokenBudget.DEFAULT, Overflow.TRUNCATE, null);
            assertArrayEquals(literal.embed(List.of("query: " + some.get(i)))[0], byDefault[i], 1e-6f);
            assertArrayEquals(literal.embed(List.of("passage: " + some.get(i)))[0], passage[i], 1e-6f);
            assertArrayEquals(literal.embed(one)[0], none[i], 1e-6f);
            assertTrue(maxDiff(byDefault[i], none[i]) > 1e-3, "the prompt changed nothing");
        }
    }

    /** sentence-transformers' Pooling.forward, for one unpadded row of {@code T} token vectors. */
    private static float[] pool(String mode, float[] h, int t, int dim) {
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            double sum = 0, weighted = 0, weights = 0, max = -1e9;
            for (int i = 0; i < t; i++) {
                double v = h[i * dim + d];
                sum += v;
                weighted += (i + 1) * v;
                weights += i + 1;
                max = Math.max(max, v);
            }
            out[d] = (float) switch (mode) {
                case "pooling_mode_cls_token" -> h[d];
                case "pooling_mode_max_tokens" -> max;
                case "pooling_mode_mean_tokens" -> sum / t;
                case "pooling_mode_mean_sqrt_len_tokens" -> sum / Math.sqrt(t);
                case "pooling_mode_lasttoken" -> h[(t - 1) * dim + d];
                case "pooling_mode_weightedmean_tokens" -> weighted / weights;
                default -> throw new IllegalArgumentException(mode);
            };
        }
        return out;
    }

    /** The fixture's files a sentence-transformers folder holds, copied so that a test may rewrite them. */
    private static void copyFixture(Path dir) throws IOException {
        for (String f : new String[] {"config.json", "model.safetensors", "model.onnx", "tokenizer.json", "tokenizer_config.json",
                "modules.json", "sentence_bert_config.json", "1_Pooling/config.json"}) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.copy(TINY_XLMR.resolve(f), dir.resolve(f));
        }
    }

    private static void normalizeL2(float[] v) {
        double n = 0;
        for (float x : v) n += (double) x * x;
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / Math.sqrt(n));
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }
}
