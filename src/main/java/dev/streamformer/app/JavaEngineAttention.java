package dev.streamformer.app;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.http.AttentionSource;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.ResolvedModel;
import dev.streamformer.tensor.Tensor;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The attention view's numbers: the Java engine's softmax weights per layer and head for one text. The engine is
 * loaded on the first request, so a pipeline that never shows the page never pays for a second copy of the weights.
 */
final class JavaEngineAttention implements AttentionSource {

    private static final int MAX_TOKENS = 64;

    private final String model;
    private volatile Loaded loaded;

    private record Loaded(Tokenizer tokenizer, JavaEngine engine) {}

    JavaEngineAttention(String model) { this.model = model; }

    @Override
    public Attention attend(String text) {
        Loaded l = load();
        Encoding e = l.tokenizer.encode(text);
        TokenBatch batch = TokenBatch.pad(new int[][]{e.ids()}, new int[][]{e.typeIds()}, l.tokenizer.padId());
        List<Tensor> attentions = l.engine.runWithAttention(batch).attentions();
        int n = e.length();
        float[][][][] weights = new float[attentions.size()][][][];
        for (int layer = 0; layer < attentions.size(); layer++) {
            Tensor a = attentions.get(layer);             // [1, heads, n, n]
            int heads = a.dim(1);
            weights[layer] = new float[heads][n][];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    int row = (h * n + i) * n;
                    weights[layer][h][i] = Arrays.copyOfRange(a.data(), row, row + n);
                }
            }
        }
        return new Attention(Arrays.asList(e.tokens()), weights);
    }

    private Loaded load() {
        Loaded l = loaded;
        if (l != null) return l;
        synchronized (this) {
            if (loaded == null) {
                ResolvedModel files = ModelRegistry.standard().resolve(model);
                try {
                    JavaEngine engine = JavaEngine.load(files.safetensors() != null && !files.config().isEmpty() ? files.safetensors() : files.onnx());
                    loaded = new Loaded(Tokenizer.fromFile(files.tokenizer()).withMaxLength(MAX_TOKENS), engine);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return loaded;
        }
    }
}
