package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;

/** First stage of the pipeline: rewrites the text in place, keeping alignments to the original. */
public interface Normalizer {

    void normalize(NormalizedString text);
}
