package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import java.util.List;

/** Applies pre-tokenizers one after the other, each to every word the previous one produced. */
public record SequencePreTokenizer(List<PreTokenizer> preTokenizers) implements PreTokenizer {

    public SequencePreTokenizer {
        preTokenizers = List.copyOf(preTokenizers);
    }

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        List<NormalizedString> pieces = List.of(piece);
        for (PreTokenizer p : preTokenizers) {
            pieces = p.splitAll(pieces);
        }
        return pieces;
    }
}
