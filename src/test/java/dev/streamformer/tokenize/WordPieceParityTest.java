package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our WordPiece tokenizers against Hugging Face tokenizers (DJL) on the shared corpus: every text, every tokenizer,
 * with truncation off and with the file's own truncation (128 for the MiniLM files); pairs on a sample. The full
 * corpus runs with {@code -Dparity.full=true}; by default a fixed sample (every 4th text).
 */
class WordPieceParityTest {

    private static final boolean FULL = Boolean.getBoolean("parity.full");

    @Test
    void idsTypeIdsAndOffsetsMatchHuggingFace() {
        List<String> all = SharedData.allTexts();
        List<String> texts = FULL ? all : everyNth(all, 4);
        List<String> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Map.Entry<String, Path> e : SharedData.wordPieceTokenizers().entrySet()) {
            Tokenizer ours = Tokenizer.fromFile(e.getValue());
            List<ParityCheck> checks = new ArrayList<>();
            try (HuggingFaceTokenizer ref = ParityCheck.reference(e.getValue(), ParityCheck.options(0))) {
                ParityCheck c = new ParityCheck(e.getKey() + " (no truncation)");
                c.encodeAll(ref, ours.withMaxLength(0), texts);
                checks.add(c);
            }
            if (ours.maxLength() > 0) {
                try (HuggingFaceTokenizer ref = ParityCheck.reference(e.getValue(), ParityCheck.options(ours.maxLength()))) {
                    ParityCheck c = new ParityCheck(e.getKey() + " (truncation " + ours.maxLength() + ")");
                    c.encodeAll(ref, ours, texts);
                    checks.add(c);
                    ParityCheck pairs = new ParityCheck(e.getKey() + " pairs (truncation " + ours.maxLength() + ")");
                    List<String> firsts = everyNth(all, 50);
                    List<String> seconds = new ArrayList<>(firsts.subList(1, firsts.size()));
                    seconds.add(firsts.getFirst());
                    pairs.encodePairs(ref, ours, firsts, seconds);
                    checks.add(pairs);
                }
            }
            for (ParityCheck c : checks) {
                summaries.add(c.summary());
                if (!c.allIdentical()) {
                    failures.add(c.summary() + "\n  " + String.join("\n  ", c.mismatches));
                }
            }
        }
        String report = String.join("\n", summaries) + String.format("%n(%s corpus, %.1f s)",
                FULL ? "full" : "every 4th text of the", (System.nanoTime() - t0) / 1e9);
        System.out.println(report);
        assertTrue(failures.isEmpty(), () -> "Tokenization differs from Hugging Face:\n" + String.join("\n", failures)
                + "\n" + report);
    }

    static <T> List<T> everyNth(List<T> list, int n) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i += n) {
            out.add(list.get(i));
        }
        return out;
    }
}
