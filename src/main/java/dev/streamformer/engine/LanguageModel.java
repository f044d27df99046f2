package dev.streamformer.engine;

/**
 * A model that predicts the next token: decoder-only (GPT-2, Llama) or encoder–decoder (T5).
 * Weights are immutable after load, so one instance serves every thread; each generation makes its own
 * {@link DecoderState}.
 */
public interface LanguageModel {

    /** {@code gpt2}, {@code llama} or {@code t5}. */
    String architecture();

    /** Number of logits per step. */
    int vocabSize();

    /**
     * The ids that end a sequence (empty when the model has none). Instruction models have several: Llama 3 ends a
     * turn with {@code <|eot_id|>} and a document with {@code <|end_of_text|>}.
     */
    int[] eosIds();


    /** True when the prompt goes to an encoder and the decoder starts from its own start token (T5). */
    default boolean encoderDecoder() {
        return false;
    }

    /** Longest decoder sequence (prompt included for decoder-only models) the model can attend over. */
    int maxPositions();

    /**
     * Scratch buffers and KV caches for up to {@code slots} sequences of up to {@code maxLength} decoder tokens,
     * allocated once here so that decoding allocates nothing per step.
     */
    DecoderState newState(int slots, int maxLength);
}
