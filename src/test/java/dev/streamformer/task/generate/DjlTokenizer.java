package dev.streamformer.task.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Hugging Face tokenizers (Rust, through DJL) behind our {@link Tokenizer} contract: the independent reference the
 * generation tests tokenize with until Streamformer's own BPE/Unigram tokenizers land. Truncation and padding off,
 * as in ../shared/reference.
 */
final class DjlTokenizer implements Tokenizer {

    static {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private final HuggingFaceTokenizer hf;

    DjlTokenizer(Path tokenizerJson) {
        try {
            hf = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "false", "padding", "false",
                    "maxLength", "100000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DjlTokenizer forModel(Path modelDir) {
        return new DjlTokenizer(modelDir.resolve("tokenizer.json"));
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        var e = hf.encode(text, addSpecialTokens, false);
        int[] ids = Arrays.stream(e.getIds()).mapToInt(v -> (int) v).toArray();
        int[] types = Arrays.stream(e.getTypeIds()).mapToInt(v -> (int) v).toArray();
        int[] special = Arrays.stream(e.getSpecialTokenMask()).mapToInt(v -> (int) v).toArray();
        return new Encoding(ids, types, e.getTokens(), new int[ids.length][2], special, false);
    }

    @Override
    public Encoding encodePair(String first, String second) {
        throw new UnsupportedOperationException("not needed for generation");
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return hf.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }

    @Override
    public int padId() {
        return 0;
    }

    @Override
    public int maxLength() {
        return 0;
    }

    @Override
    public Tokenizer withMaxLength(int maxLength) {
        throw new UnsupportedOperationException("not needed for generation");
    }

    @Override
    public int tokenToId(String token) {
        throw new UnsupportedOperationException("not needed for generation");
    }
}
