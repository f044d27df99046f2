package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;
import java.util.List;

/** Splits on whitespace, which is removed. */
public final class WhitespaceSplit implements PreTokenizer {

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        return SplitBehavior.REMOVED.split(piece, UnicodeChars::isWhitespace);
    }
}
