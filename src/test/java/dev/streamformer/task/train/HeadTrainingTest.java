package dev.streamformer.task.train;

import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.Task;
import dev.streamformer.task.factory.TaskSpec;
import dev.streamformer.task.Overflow;
import dev.streamformer.task.TokenBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training a head on a frozen encoder, on real data: AG News (train sample → test), with all-minilm-l6-v2.
 * A small slice keeps the test fast; README reports the full-size runs.
 */
class HeadTrainingTest {

    static final Path DATA = Path.of("..", "shared", "data", "ag_news");
    static LabeledData train, test;
    static List<String> labels;
    static float[][] trainX, testX;
    static int[] trainY, testY;

    @BeforeAll
    static void embed() throws IOException {
        assertTrue(Files.isDirectory(DATA), "needs ../shared/data/ag_news");
        LabeledData all = LabeledData.read(DATA.resolve("train_sample_10k.tsv"), "text", "label");
        train = new LabeledData(all.texts().subList(0, 2000), all.labels().subList(0, 2000));
        LabeledData fullTest = LabeledData.read(DATA.resolve("test.jsonl"), "text", "label_name");
        test = new LabeledData(fullTest.texts().subList(0, 1000), fullTest.labels().subList(0, 1000));
        labels = new ArrayList<>(new TreeSet<>(train.labels()));
        assertEquals(List.of("Business", "Sci/Tech", "Sports", "World"), labels);
        EmbedTask encoder = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
        trainX = encoder.embed(train.texts());
        testX = encoder.embed(test.texts());
        trainY = train.labels().stream().mapToInt(labels::indexOf).toArray();
        testY = test.labels().stream().mapToInt(labels::indexOf).toArray();
    }

    static double accuracy(Head head) {
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            float[] p = head.probabilities(testX[i]);
            int best = 0;
            for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
            if (best == testY[i]) correct++;
        }
        return (double) correct / testX.length;
    }

    @Test
    void logisticRegressionLearnsAgNewsFromTwoThousandExamples() {
        double[] firstLoss = new double[1], lastLoss = new double[1];
        Head head = new HeadTrainer(20, 64, 0.003f, 1e-4f, 42).train(trainX, trainY, 4, 0, (epoch, loss, h) -> {
            if (epoch == 1) firstLoss[0] = loss;
            lastLoss[0] = loss;
        });
        double acc = accuracy(head);
        System.out.printf("AG News, 2,000 train / 1,000 test, all-minilm-l6-v2 + logistic regression: %.2f %%%n", 100 * acc);
        assertTrue(lastLoss[0] < firstLoss[0] * 0.6, "loss fell from " + firstLoss[0] + " to " + lastLoss[0]);
        // measured 85.5 % with seed 42; four balanced classes make chance 25 %
        assertTrue(acc > 0.84, "accuracy " + acc);
    }

    @Test
    void sameSeedSameHead() {
        Head a = new HeadTrainer(3, 64, 0.003f, 1e-4f, 7).train(trainX, trainY, 4, 16, null);
        Head b = new HeadTrainer(3, 64, 0.003f, 1e-4f, 7).train(trainX, trainY, 4, 16, null);
        assertArrayEquals(a.outW(), b.outW());
        assertArrayEquals(a.hiddenW(), b.hiddenW());
    }

    @Test
    void aSavedHeadClassifiesThroughTaskSpecLikeTheTrainedOne(@TempDir Path dir) throws IOException {
        Head head = new HeadTrainer(5, 64, 0.003f, 1e-4f, 1).train(trainX, trainY, 4, 0, null);
        head.save(dir.resolve("head.safetensors"));
        Files.writeString(dir.resolve("config.json"),
                "{\"id2label\": {\"0\": \"Business\", \"1\": \"Sci/Tech\", \"2\": \"Sports\", \"3\": \"World\"}}");
        Files.writeString(dir.resolve("streamformer.yaml"), "task: classify\nencoder: all-minilm-l6-v2\nhead: head.safetensors\n");
        TaskSpec spec = new TaskSpec("classify", dir.toString(), EngineOptions.DEFAULT, TokenBudget.DEFAULT, Overflow.TRUNCATE,
                null, null, true, 0.5f, 0f, null);
        try (Task task = spec.create()) {
            var out = task.run(test.texts().subList(0, 20));
            for (int i = 0; i < 20; i++) {
                float[] p = head.probabilities(testX[i]);
                int best = 0;
                for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
                assertEquals(labels.get(best), out.get(i).get("label").asText());
                assertEquals(p[best], out.get(i).get("score").floatValue(), 1e-5);
            }
        }
    }
}
