package dev.streamformer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The fine-tuned sst2-minilm classifier through our whole classify path (our tokenizer, token-budget batches, engine,
 * softmax, id2label) against Hugging Face transformers' logits for all 872 SST-2 dev sentences, on both engines.
 */
class ClassifyTaskTest {

    static final Path MODEL = Path.of("..", "shared", "models", "sst2-minilm");
    static final Path REFERENCE = Path.of("..", "shared", "reference", "ref_sst2-minilm_dev.jsonl");

    record Row(String text, int gold, float[] logits) {}

    static List<Row> reference() throws IOException {
        assertTrue(Files.exists(REFERENCE), "needs " + REFERENCE);
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE)) {
            JsonNode n = json.readTree(line);
            rows.add(new Row(n.get("text").asText(), n.get("label").asInt(),
                    new float[]{n.get("logits").get(0).floatValue(), n.get("logits").get(1).floatValue()}));
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx", "java"})
    void logitsLabelsAndAccuracyMatchTransformersOnSst2Dev(String engine) throws IOException {
        List<Row> rows = reference();
        assertEquals(872, rows.size());
        var model = LoadedModel.load(MODEL.toString(), new EngineOptions(engine, "cpu", 0));
        var classifier = new ClassifyTask.FineTuned(model, TokenBudget.DEFAULT);
        assertEquals(List.of("negative", "positive"), classifier.labels());
        float[][] logits = classifier.logits(rows.stream().map(Row::text).toList());
        double worst = 0;
        int sameLabel = 0, correct = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            for (int j = 0; j < 2; j++) worst = Math.max(worst, Math.abs(logits[i][j] - r.logits[j]));
            int ours = logits[i][1] > logits[i][0] ? 1 : 0;
            int theirs = r.logits[1] > r.logits[0] ? 1 : 0;
            if (ours == theirs) sameLabel++;
            if (ours == r.gold) correct++;
        }
        System.out.printf("sst2-minilm on %s: max |logit - transformers| = %.2e, same label %d/872, accuracy %.2f %%%n",
                engine, worst, sameLabel, 100.0 * correct / rows.size());
        assertTrue(worst <= 1e-4, "max logit difference " + worst);
        assertEquals(872, sameLabel);
        // 779/872 = 89.33 %, the accuracy SOURCE.md and ref_sst2-minilm_metrics.json report for these weights
        assertEquals(779, correct);
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnx"})
    void theTaskAddsLabelScoreAndScores(String engine) {
        var model = LoadedModel.load(MODEL.toString(), new EngineOptions(engine, "cpu", 0));
        var task = new ClassifyTask(new ClassifyTask.FineTuned(model, TokenBudget.DEFAULT), true, 0.5f, 0f);
        var out = task.run(List.of("a gorgeous , witty , seductive movie .", "the plot is nothing but boilerplate clichés from start to finish ."));
        assertEquals("positive", out.get(0).get("label").asText());
        assertEquals("negative", out.get(1).get("label").asText());
        double sum = out.get(0).get("scores").get("positive").asDouble() + out.get(0).get("scores").get("negative").asDouble();
        assertEquals(1.0, sum, 1e-6);
        assertEquals(out.get(0).get("score").asDouble(), out.get(0).get("scores").get("positive").asDouble(), 0);
    }

    @Test
    void aFineTunedClassifierRefusesALongTextWhenAskedTo() {
        var model = LoadedModel.load(MODEL.toString(), new EngineOptions("onnx", "cpu", 0));
        String longText = "a gorgeous , witty , seductive movie . ".repeat(200);   // well over 512 tokens
        var rejecting = new ClassifyTask(new ClassifyTask.FineTuned(model, TokenBudget.DEFAULT, Overflow.REJECT), false, 0.5f, 0f);
        assertThrows(TextTooLongException.class, () -> rejecting.run(List.of("short and fine .", longText)));
        assertEquals("positive", rejecting.run(List.of("a gorgeous , witty , seductive movie .")).getFirst().get("label").asText());
        var truncating = new ClassifyTask(new ClassifyTask.FineTuned(model, TokenBudget.DEFAULT, Overflow.TRUNCATE), false, 0.5f, 0f);
        assertEquals("positive", truncating.run(List.of(longText)).getFirst().get("label").asText());
    }
}
