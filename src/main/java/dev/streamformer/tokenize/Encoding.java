package dev.streamformer.tokenize;

/**
 * The result of tokenizing one text (or a pair), after post-processing (special tokens added) and truncation.
 *
 * @param ids          token ids
 * @param typeIds      segment ids (0 for the first text, 1 for the second of a pair)
 * @param tokens       token strings as in the vocabulary
 * @param offsets      for each token, {@code [start, end)} in Unicode code points of the original text,
 *                     as Hugging Face tokenizers reports them; special tokens get {@code [0, 0]}
 * @param specialTokensMask 1 where the post-processor added a special token
 * @param truncated    true when tokens were dropped to fit the maximum length
 */
public record Encoding(int[] ids, int[] typeIds, String[] tokens, int[][] offsets, int[] specialTokensMask,
                       boolean truncated) {

    public int length() { return ids.length; }
}
