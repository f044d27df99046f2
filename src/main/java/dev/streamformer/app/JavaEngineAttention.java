package dev.streamformer.app;

import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.http.AttentionSource;
import dev.streamformer.task.EngineOptions;
import dev.streamformer.task.LoadedModel;
import dev.streamformer.tensor.Tensor;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;

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
                // the per-JVM model cache: a stage already running this model on the java engine shares its weights
                LoadedModel model = LoadedModel.load(this.model, new EngineOptions("java", "cpu", 0));
                loaded = new Loaded(model.tokenizer().withMaxLength(MAX_TOKENS), (JavaEngine) model.engine());
            }
            return loaded;
        }
    }
}
