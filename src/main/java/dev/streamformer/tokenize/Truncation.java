package dev.streamformer.tokenize;

import dev.streamformer.tokenize.model.Token;
import java.util.List;

/**
 * Cutting encodings to a maximum number of tokens (special tokens included), as the file's {@code truncation}
 * block says: strategy {@code LongestFirst} (default), {@code OnlyFirst} or {@code OnlySecond}; direction
 * {@code Right} (drop the end, default) or {@code Left}. Overflowing windows ({@code stride}) are not produced.
 */
record Truncation(int maxLength, Strategy strategy, boolean fromLeft) {

    enum Strategy { LONGEST_FIRST, ONLY_FIRST, ONLY_SECOND }

    static Truncation longestFirst(int maxLength) {
        return new Truncation(maxLength, Strategy.LONGEST_FIRST, false);
    }

    Truncation withMaxLength(int newMaxLength) {
        return new Truncation(newMaxLength, strategy, fromLeft);
    }

    /** At most {@code budget} tokens of one text: the first ones, or the last ones when truncating from the left. */
    List<Token> truncate(List<Token> tokens, int budget) {
        budget = Math.max(budget, 0);
        if (tokens.size() <= budget) {
            return tokens;
        }
        return fromLeft ? tokens.subList(tokens.size() - budget, tokens.size()) : tokens.subList(0, budget);
    }

    /**
     * The lengths to keep for a pair within {@code budget} tokens: {@code [first, second]}. LongestFirst takes from
     * the longer text until both fit (HF's arithmetic: the shorter keeps all when it can, else both get half).
     */
    int[] pairLengths(int first, int second, int budget) {
        budget = Math.max(budget, 0);
        if (first + second <= budget) {
            return new int[] {first, second};
        }
        return switch (strategy) {
            case ONLY_FIRST -> new int[] {Math.max(0, budget - second), second};
            case ONLY_SECOND -> new int[] {first, Math.max(0, budget - first)};
            case LONGEST_FIRST -> {
                boolean swap = first > second;
                int n1 = swap ? second : first;
                int n2;
                if (n1 > budget) {
                    n2 = n1;
                } else {
                    n2 = Math.max(n1, budget - n1);
                }
                if (n1 + n2 > budget) {
                    n1 = budget / 2;
                    n2 = n1 + budget % 2;
                }
                yield swap ? new int[] {Math.min(first, n2), Math.min(second, n1)}
                        : new int[] {Math.min(first, n1), Math.min(second, n2)};
            }
        };
    }
}
