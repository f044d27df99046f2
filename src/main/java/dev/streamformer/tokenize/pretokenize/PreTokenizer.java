package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import java.util.ArrayList;
import java.util.List;

/** Second stage: cuts normalized text into words; the model then tokenizes each word on its own. */
public interface PreTokenizer {

    /** The non-empty words of one piece, in order. */
    List<NormalizedString> split(NormalizedString piece);

    /** Splits every piece. */
    default List<NormalizedString> splitAll(List<NormalizedString> pieces) {
        List<NormalizedString> out = new ArrayList<>();
        for (NormalizedString piece : pieces) {
            out.addAll(split(piece));
        }
        return out;
    }
}
