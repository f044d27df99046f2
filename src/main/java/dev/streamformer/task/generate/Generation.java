package dev.streamformer.task.generate;

/**
 * One finished generation.
 *
 * @param text         the generated text (stop string and EOS excluded); null when generated without a decoder
 * @param tokens       every generated token id, EOS included when it ended the sequence
 * @param finishReason why it ended
 * @param promptTokens number of prompt tokens the model read
 * @param logprobs     {@code log p(token)} of each generated token under the model's own distribution (before
 *                     temperature, top-k, top-p or repetition penalty); null unless the generator was asked for them
 */
public record Generation(String text, int[] tokens, FinishReason finishReason, int promptTokens, float[] logprobs) {

    public int generatedTokens() {
        return tokens.length;
    }
}
