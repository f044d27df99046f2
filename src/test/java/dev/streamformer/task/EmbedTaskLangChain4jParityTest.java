package dev.streamformer.task;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our embedding pipeline (our tokenizer, token-budget batches, our pooling) against LangChain4j's own in-process
 * embedding model for the same ONNX file (Hugging Face tokenizers, one text per ORT call, its own pooling), on every
 * SST-2 dev sentence.
 */
class EmbedTaskLangChain4jParityTest {

    static List<String> sst2Dev() throws IOException {
        Path dev = Path.of("..", "shared", "data", "sst2", "dev.tsv");
        assertTrue(Files.exists(dev), "needs ../shared/data/sst2/dev.tsv");
        return Files.readAllLines(dev).stream().skip(1).map(l -> l.split("\t")[0]).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v15", "e5-small-v2"})
    void cosineAtLeast0_99999OnEverySst2DevSentence(String id) throws IOException {
        Supplier<EmbeddingModel> peer = switch (id) {
            case "all-minilm-l6-v2" -> AllMiniLmL6V2EmbeddingModel::new;
            case "bge-small-en-v15" -> BgeSmallEnV15EmbeddingModel::new;
            case "e5-small-v2" -> E5SmallV2EmbeddingModel::new;
            default -> throw new IllegalArgumentException(id);
        };
        List<String> texts = sst2Dev();
        assertEquals(872, texts.size());
        float[][] ours = EmbedTask.load(id, EngineOptions.DEFAULT).embed(texts);
        var theirs = peer.get().embedAll(texts.stream().map(TextSegment::from).toList()).content();
        double worst = 1;
        for (int i = 0; i < texts.size(); i++) {
            double c = cosine(ours[i], theirs.get(i).vector());
            worst = Math.min(worst, c);
            assertTrue(c >= 0.99999, id + " sentence " + i + " cosine " + c + ": " + texts.get(i));
        }
        System.out.printf("%s: %d/%d sentences, worst cosine %.8f%n", id, texts.size(), texts.size(), worst);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
