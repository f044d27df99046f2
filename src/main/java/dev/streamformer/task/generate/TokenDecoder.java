package dev.streamformer.task.generate;

/** Turns token ids back into text (special tokens skipped); {@code Tokenizer::decode} is one. */
@FunctionalInterface
public interface TokenDecoder {
    String decode(int[] ids);
}
