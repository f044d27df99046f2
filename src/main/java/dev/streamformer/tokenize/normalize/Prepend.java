package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;

/** Puts a fixed string in front of any non-empty text (Llama's "▁"). */
public record Prepend(String prefix) implements Normalizer {

    @Override
    public void normalize(NormalizedString text) {
        text.prepend(prefix);
    }
}
