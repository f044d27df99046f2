package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;
import java.util.List;

/** Splits on punctuation (ASCII punctuation or Unicode P*), each mark handled as {@code behavior} says. */
public record Punctuation(SplitBehavior behavior) implements PreTokenizer {

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        return behavior.split(piece, UnicodeChars::isBertPunctuation);
    }
}
