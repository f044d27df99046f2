package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One tokenizer instance shared by several threads gives the same encodings as one thread (caches included). */
class ConcurrentEncodeTest {

    @Test
    void sharedInstanceEncodesTheSameFromManyThreads() throws Exception {
        List<String> texts = WordPieceParityTest.everyNth(SharedData.allTexts(), 40);
        for (String model : List.of("sst2-minilm", "newsgpt-mini", "t5-mini")) {
            Tokenizer shared = Tokenizer.fromFile(SharedData.requireShared("models/" + model + "/tokenizer.json"));
            Tokenizer reference = Tokenizer.fromFile(SharedData.requireShared("models/" + model + "/tokenizer.json"));
            List<int[]> sequential = texts.stream().map(t -> reference.encode(t).ids()).toList();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<List<int[]>>> runs = new ArrayList<>();
                for (int thread = 0; thread < 4; thread++) {
                    runs.add(pool.submit(() -> texts.stream().map(t -> shared.encode(t).ids()).toList()));
                }
                for (Future<List<int[]>> run : runs) {
                    List<int[]> got = run.get();
                    for (int i = 0; i < texts.size(); i++) {
                        assertArrayEquals(sequential.get(i), got.get(i), texts.get(i));
                    }
                }
            }
        }
    }
}
