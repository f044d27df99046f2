package dev.streamformer.tokenize;


import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encoding speed, ours and HF tokenizers (DJL, one text per call), on the same texts in one thread. Runs only with
 * {@code -Pbench}; prints texts/s and tokens/s (best of three passes, after a warm-up pass).
 */
class TokenizerBenchmarkTest {

    @Test
    void encodeThroughput() {
        List<String> texts = SharedData.allTexts();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("sst2-minilm (WordPiece)", SharedData.requireShared("models/sst2-minilm/tokenizer.json"));
        files.put("newsgpt-mini (byte-level BPE)", SharedData.requireShared("models/newsgpt-mini/tokenizer.json"));
        files.put("t5-mini (Unigram)", SharedData.requireShared("models/t5-mini/tokenizer.json"));
        files.put("tiny-xlmr (XLM-R: Precompiled normalizer, Metaspace, Unigram)", SharedData.requireShared("models/tiny-xlmr/tokenizer.json"));
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Tokenizer ours = Tokenizer.fromFile(e.getValue()).withMaxLength(0);
            try (HuggingFaceTokenizer hf = ParityCheck.reference(e.getValue(), ParityCheck.options(0))) {
                double oursSeconds = best(() -> texts.forEach(ours::encode));
                double hfSeconds = best(() -> texts.forEach(hf::encode));
                long tokens = texts.stream().mapToLong(t -> ours.encode(t).length()).sum();
                System.out.printf("%s, %,d texts, %,d tokens: ours %,.0f texts/s (%,.0f tokens/s), "
                                + "HF via DJL %,.0f texts/s (%,.0f tokens/s)%n", e.getKey(), texts.size(), tokens,
                        texts.size() / oursSeconds, tokens / oursSeconds, texts.size() / hfSeconds, tokens / hfSeconds);
            }
        }
    }

    private static double best(Runnable pass) {
        pass.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            pass.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
