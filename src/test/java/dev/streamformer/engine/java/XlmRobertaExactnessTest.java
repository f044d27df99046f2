package dev.streamformer.engine.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tensor.SafeTensorsWriter;
import dev.streamformer.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XLM-RoBERTa on both engines against ../shared/reference/ref_tiny-xlmr.jsonl (an independent numpy port of
 * transformers' modeling_xlm_roberta): mean-pooled, L2-normalised embeddings of 40 multilingual texts and the last
 * hidden state of the first 3, one text per call and in right-padded batches.
 */
class XlmRobertaExactnessTest {

    static final Path DIR = TestModels.SHARED.resolve("models/tiny-xlmr");
    private static final int PAD = 1;             // <pad> in XLM-R's layout, and RoBERTa's padding_idx
    private static final double TOLERANCE = 1e-5;

    private static List<JsonNode> reference;

    @BeforeAll
    static void readReference() throws IOException {
        Path file = TestModels.SHARED.resolve("reference/ref_tiny-xlmr.jsonl");
        assertTrue(Files.exists(file), "missing " + file.toAbsolutePath() + ": the tests need ../shared");
        ObjectMapper json = new ObjectMapper();
        reference = new ArrayList<>();
        for (String line : Files.readAllLines(file)) if (!line.isBlank()) reference.add(json.readTree(line));
        assertEquals(40, reference.size());
    }

    @Test
    void readsTheXlmRobertaConfig() throws Exception {
        EncoderConfig c = EncoderConfig.fromJson(DIR.resolve("config.json"));
        assertEquals(EncoderConfig.PositionIds.AFTER_PADDING_IDX, c.positionIds());
        assertEquals(PAD, c.padTokenId());
        assertEquals(1, c.typeVocabSize());
        assertEquals(514, c.maxPositions());
        assertEquals(512, c.maxSequenceLength());
        assertEquals(1e-5f, c.layerNormEps());
    }

    @Test
    void javaEngineMatchesTheReferenceOneTextAtATime() throws Exception {
        try (JavaEngine engine = JavaEngine.load(DIR)) {
            compare("java, batch 1", engine, 1);
        }
    }

    @Test
    void javaEngineMatchesTheReferenceInPaddedBatches() throws Exception {
        try (JavaEngine engine = JavaEngine.load(DIR)) {
            compare("java, batch 8", engine, 8);
            compare("java, batch 40", engine, 40);
        }
    }

    @Test
    void onnxRuntimeMatchesTheReferenceSingleAndPadded() {
        try (OnnxEngine engine = new OnnxEngine(DIR.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            compare("onnx, batch 1", engine, 1);
            compare("onnx, batch 8", engine, 8);
        }
    }

    /**
     * A {@code <pad>} id among the real tokens takes position {@code padding_idx} and does not advance the count
     * (transformers counts {@code ids != pad}, not the attention mask); ONNX Runtime's graph does the same.
     */
    @Test
    void aPadIdInsideTheTextKeepsRobertasPositionRule() throws Exception {
        int[][] ids = {{0, 424, PAD, 2164, 7, 2}, {0, 5, 6, PAD, PAD, 9, 2}, {0, 2}};
        TokenBatch batch = TokenBatch.pad(ids, null, PAD);
        try (JavaEngine java = JavaEngine.load(DIR);
             OnnxEngine ort = new OnnxEngine(DIR.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            float[] expected = ort.run(batch).hiddenStates().data();
            float[] actual = java.run(batch).hiddenStates().data();
            double max = 0;
            for (int b = 0; b < ids.length; b++) {
                int row0 = b * batch.seqLen() * 64;
                for (int i = 0; i < ids[b].length * 64; i++) max = Math.max(max, Math.abs(expected[row0 + i] - actual[row0 + i]));
            }
            System.out.printf("tiny-xlmr, <pad> inside the text: max |java - ort| = %.3g%n", max);
            assertTrue(max <= TOLERANCE, "java and ORT disagree by " + max);
        }
    }

    /** XLMRobertaForSequenceClassification and ...ForTokenClassification keep the encoder under {@code roberta.}. */
    @Test
    void readsWeightsUnderTheRobertaPrefix(@TempDir Path dir) throws Exception {
        SafeTensorsWriter writer = new SafeTensorsWriter();
        try (SafeTensors original = SafeTensors.open(DIR.resolve("model.safetensors"))) {
            for (String name : original.names()) writer.add("roberta." + name, original.tensor(name));
        }
        writer.write(dir.resolve("model.safetensors"));
        Files.copy(DIR.resolve("config.json"), dir.resolve("config.json"));
        try (JavaEngine engine = JavaEngine.load(dir)) {
            compare("java, roberta. prefix", engine, 8);
        }
    }

    @Test
    void refusesSequencesLongerThanThePositionsLeftAfterPaddingIdx() throws Exception {
        int[] ids = new int[513];
        java.util.Arrays.fill(ids, 5);
        try (JavaEngine engine = JavaEngine.load(DIR)) {
            var e = assertThrows(IllegalArgumentException.class, () -> engine.run(TokenBatch.pad(new int[][] {ids}, null, PAD)));
            assertTrue(e.getMessage().contains("512"), e.getMessage());
            engine.run(TokenBatch.pad(new int[][] {java.util.Arrays.copyOf(ids, 512)}, null, PAD)); // the longest that fits
        }
    }

    /** Runs the reference ids through the engine in right-padded batches of {@code batchSize} and checks every number. */
    private static void compare(String what, Engine engine, int batchSize) {
        double maxEmbedding = 0;
        double minCosine = 1;
        double maxHidden = 0;
        for (int from = 0; from < reference.size(); from += batchSize) {
            List<JsonNode> rows = reference.subList(from, Math.min(reference.size(), from + batchSize));
            int[][] ids = new int[rows.size()][];
            for (int i = 0; i < ids.length; i++) ids[i] = ints(rows.get(i).get("ids"));
            TokenBatch batch = TokenBatch.pad(ids, null, PAD);
            Tensor hidden = engine.run(batch).hiddenStates();               // (batch, T, 64)
            int h = hidden.dim(2);
            for (int b = 0; b < ids.length; b++) {
                int row0 = b * batch.seqLen() * h;
                float[] embedding = meanPoolNormalized(hidden.data(), row0, ids[b].length, h);
                JsonNode expected = rows.get(b).get("embedding");
                assertEquals(h, expected.size());
                double dot = 0;
                for (int d = 0; d < h; d++) {
                    maxEmbedding = Math.max(maxEmbedding, Math.abs(embedding[d] - expected.get(d).asDouble()));
                    dot += embedding[d] * expected.get(d).asDouble();
                }
                minCosine = Math.min(minCosine, dot);                        // both unit vectors
                JsonNode state = rows.get(b).get("last_hidden_state");
                if (state == null || state.isNull()) continue;
                assertEquals(ids[b].length, state.size());
                for (int t = 0; t < state.size(); t++) {
                    for (int d = 0; d < h; d++) {
                        maxHidden = Math.max(maxHidden, Math.abs(hidden.data()[row0 + t * h + d] - state.get(t).get(d).asDouble()));
                    }
                }
            }
        }
        System.out.printf("tiny-xlmr %s: max |embedding - reference| = %.3g, min cosine = %.9f, max |hidden - reference| = %.3g%n",
                what, maxEmbedding, minCosine, maxHidden);
        assertTrue(maxEmbedding <= TOLERANCE, what + ": embeddings differ from the reference by " + maxEmbedding);
        assertTrue(minCosine >= 0.99999, what + ": cosine " + minCosine);
        assertTrue(maxHidden <= TOLERANCE, what + ": last hidden state differs from the reference by " + maxHidden);
    }

    private static float[] meanPoolNormalized(float[] hidden, int row0, int length, int h) {
        float[] mean = new float[h];
        for (int t = 0; t < length; t++) for (int d = 0; d < h; d++) mean[d] += hidden[row0 + t * h + d] / length;
        double norm = 0;
        for (float v : mean) norm += v * v;
        for (int d = 0; d < h; d++) mean[d] /= (float) Math.sqrt(norm);
        return mean;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
