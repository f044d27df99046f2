package dev.streamformer.http;

import java.util.List;

/**
 * Computes a model's attention for one text: its tokens and, per layer and head, the softmax weights with which
 * each token (row, the query) attends to every token (column, the key). The lead wires this to the Java engine.
 */
@FunctionalInterface
public interface AttentionSource {

    Attention attend(String text);

    /**
     * Tokens and weights; {@code weights[layer][head][i][j]} is how much token i attends to token j
     * (shape [layers][heads][n][n], n = tokens.size(); each row sums to 1).
     */
    record Attention(List<String> tokens, float[][][][] weights) {
        public Attention {
            tokens = List.copyOf(tokens);
            int n = tokens.size();
            if (weights.length == 0 || weights[0].length == 0) {
                throw new IllegalArgumentException("Attention needs at least one layer and one head.");
            }
            int heads = weights[0].length;
            for (float[][][] layer : weights) {
                if (layer.length != heads) throw new IllegalArgumentException("Every layer must have " + heads + " heads.");
                for (float[][] head : layer) {
                    if (head.length != n) throw new IllegalArgumentException("Each head must have one row per token (" + n + ").");
                    for (float[] row : head) {
                        if (row.length != n) throw new IllegalArgumentException("Each row must have one weight per token (" + n + ").");
                    }
                }
            }
        }

        public int layers() {
            return weights.length;
        }

        public int heads() {
            return weights[0].length;
        }
    }
}
