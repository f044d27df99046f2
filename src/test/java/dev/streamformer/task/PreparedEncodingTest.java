package dev.streamformer.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.generate.GenerateTask;
import dev.streamformer.task.generate.GenerationConfig;
import dev.streamformer.task.generate.PromptTemplate;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Classify and generate, like embed, tokenize an event once ({@link Task#prepare}) and run the model on that encoding
 * ({@link Task#runPrepared}): the result equals {@link Task#run} on the text, and a prepared text carrying another
 * text's encoding gets that other text's result, so the model saw the kept encoding and the text was not tokenized again.
 */
class PreparedEncodingTest {

    private static final Path SST2 = Path.of("..", "shared", "models", "sst2-minilm");
    private static final Path TINY_QWEN2 = Path.of("..", "shared", "models", "tiny-qwen2");

    /** {@code a} and {@code b} have different results; b's text carrying a's encoding gets a's result. */
    private static void assertRunsOnTheKeptEncoding(Task task, String a, String b) {
        PreparedText preparedA = task.prepare(a), preparedB = task.prepare(b);
        assertNotNull(preparedA.encoding(), task.name() + " keeps no encoding");
        List<ObjectNode> prepared = task.runPrepared(List.of(preparedA, preparedB));
        List<ObjectNode> plain = task.run(List.of(a, b));
        assertEquals(plain, prepared);
        assertNotEquals(plain.get(0), plain.get(1), "the two texts must differ in their results for the next check to mean anything");

        var bWithTheEncodingOfA = new PreparedText(b, preparedA.tokens(), preparedA.encoding());
        assertEquals(plain.get(0), task.runPrepared(List.of(bWithTheEncodingOfA)).getFirst());
    }

    @Test
    void fineTunedClassifyRunsOnTheEncodingItPrepared() {
        var model = LoadedModel.load(SST2.toString(), EngineOptions.DEFAULT);
        var task = new ClassifyTask(new ClassifyTask.FineTuned(model, TokenBudget.DEFAULT), true, 0.5f, 0f);
        assertRunsOnTheKeptEncoding(task, "A wonderful, moving film with a great cast.", "Dull and tedious.");
    }

    @Test
    void zeroShotClassifyRunsOnTheEncodingItPrepared() {
        EmbedTask embedder = EmbedTask.load("all-minilm-l6-v2", EngineOptions.DEFAULT);
        var task = new ClassifyTask(new ClassifyTask.ZeroShot(embedder,
                ClassifyTask.ZeroShot.parse("sports=news about sports,business=news about companies and markets")), true, 0.5f, 0f);
        assertRunsOnTheKeptEncoding(task, "The striker scored twice in the final.", "Shares fell after the quarterly results.");
    }

    @Test
    void generateRunsOnThePromptEncodingItPrepared() {
        try (GenerateTask task = GenerateTask.load(TINY_QWEN2, GenerationConfig.greedy(4), new PromptTemplate("Summarize: {text}"), 8)) {
            assertRunsOnTheKeptEncoding(task, "rates rose again", "the central bank left rates where they were for a third month");
        }
    }
}
