package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.TextPattern;
import java.util.List;

/** Words are runs of word characters or runs of other non-space characters: the regex {@code \w+|[^\w\s]+}. */
public final class Whitespace implements PreTokenizer {

    private static final TextPattern WORDS = TextPattern.regex("\\w+|[^\\w\\s]+");

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        List<int[]> words = WORDS.findMatches(piece);
        return words.stream().map(w -> piece.slice(w[0], w[1])).toList();
    }
}
