package dev.streamformer.engine;

/**
 * The mutable side of a {@link LanguageModel} for a batch of sequences ("slots"): KV caches and scratch
 * buffers. Not thread-safe; one per generation.
 *
 * <p>A step is a list of rows {@code (slot, position, token)}. Prefill sends all prompt tokens of a slot
 * in order (positions 0, 1, 2, …); decoding sends one row per unfinished slot. Each row writes its key and
 * value to the slot's cache at its position and attends to positions {@code 0..position} of that slot only,
 * so rows of different sequences and lengths share one forward pass (one read of every weight per step).
 */
public interface DecoderState {

    /**
     * Starts sequence {@code slot} from a prompt and returns the tokens to feed the decoder first: the
     * prompt itself for a decoder-only model; for an encoder–decoder model the prompt is encoded here (and
     * cached for cross-attention) and the decoder starts from its start token.
     */
    int[] start(int slot, int[] promptIds);

    /** Most rows one {@link #forward} call takes; callers split longer prefills into chunks, in order. */
    int maxRows();

    /**
     * Runs {@code n} rows through the decoder.
     *
     * @param logitRows which rows (indices into the first {@code n}) need next-token logits
     * @param nLogits   how many entries of {@code logitRows} are used
     * @param logits    output {@code [nLogits, vocab]}
     */
    void forward(int n, int[] slots, int[] positions, int[] tokens, int[] logitRows, int nLogits, float[] logits);
}
