package dev.streamformer.task.generate;

/**
 * One finished generation.
 *
 * @param text         the generated text (stop string and EOS excluded); null when generated without a decoder
 * @param tokens       every generated token id, EOS included when it ended the sequence
 * @param finishReason why it ended
 * @param promptTokens number of prompt tokens the model read
 */
public record Generation(String text, int[] tokens, FinishReason finishReason, int promptTokens) {

    public int generatedTokens() {
        return tokens.length;
    }
}
