package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import java.util.List;

/** Applies normalizers one after the other. */
public record SequenceNormalizer(List<Normalizer> normalizers) implements Normalizer {

    public SequenceNormalizer {
        normalizers = List.copyOf(normalizers);
    }

    @Override
    public void normalize(NormalizedString text) {
        for (Normalizer normalizer : normalizers) {
            normalizer.normalize(text);
        }
    }
}
