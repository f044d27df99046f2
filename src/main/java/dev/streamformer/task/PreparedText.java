package dev.streamformer.task;

import dev.streamformer.tokenize.Encoding;

import java.util.List;

/**
 * A text on its way to the model, tokenized once ({@link Task#prepare}): its token count (after truncation), which the
 * batcher plans with, and, for a task that keeps it, its encoding, which {@link Task#runPrepared} uses instead of
 * tokenizing again.
 *
 * @param encoding null when the task keeps none (it then reads {@code text} again when it runs)
 */
public record PreparedText(String text, int tokens, Encoding encoding) {

    /** A text with its token count and no encoding: the task reads the text again when it runs. */
    public static PreparedText counted(String text, int tokens) {
        return new PreparedText(text, tokens, null);
    }

    public static List<String> texts(List<PreparedText> prepared) {
        return prepared.stream().map(PreparedText::text).toList();
    }
}
