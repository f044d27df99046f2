package dev.streamformer.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stand-in for a model's attention, for tests of the page and the API: tokens are [CLS], the
 * lower-cased words, [SEP]; {@code weights[l][h][i] = softmax_j(-|i - j - shift(h)| * (l + 1) / (h + 1))} with
 * {@code shift(h) = h % 3 - 1}, so heads look back, at themselves or ahead (not symmetric: a transposed
 * rendering shows up).
 */
final class DistanceAttention implements AttentionSource {
    static final int LAYERS = 3;
    static final int HEADS = 4;

    @Override
    public Attention attend(String text) {
        List<String> tokens = new ArrayList<>();
        tokens.add("[CLS]");
        for (String word : text.toLowerCase().split("\\s+")) if (!word.isEmpty()) tokens.add(word);
        tokens.add("[SEP]");
        int n = tokens.size();
        float[][][][] weights = new float[LAYERS][HEADS][n][n];
        for (int l = 0; l < LAYERS; l++) {
            for (int h = 0; h < HEADS; h++) {
                int shift = h % 3 - 1;
                for (int i = 0; i < n; i++) {
                    double[] scores = new double[n];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < n; j++) {
                        scores[j] = -Math.abs(i - j - shift) * (l + 1.0) / (h + 1.0);
                        max = Math.max(max, scores[j]);
                    }
                    for (int j = 0; j < n; j++) sum += scores[j] = Math.exp(scores[j] - max);
                    for (int j = 0; j < n; j++) weights[l][h][i][j] = (float) (scores[j] / sum);
                }
            }
        }
        return new Attention(tokens, weights);
    }
}
