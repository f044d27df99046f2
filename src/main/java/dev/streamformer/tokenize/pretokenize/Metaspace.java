package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import java.util.List;

/**
 * SentencePiece's view of spaces: every space becomes the replacement character ({@code ▁}), one is put in front
 * ({@code prepend_scheme} always; first: only at the start of the text; never), and with {@code split} the text is
 * cut before each {@code ▁} (the mark starts the next word).
 */
public record Metaspace(int replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer {

    public enum PrependScheme { ALWAYS, FIRST, NEVER }

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        // each space becomes the mark, aligned with that space
        piece.map(c -> c == ' ' ? replacement : c);
        boolean startsWithReplacement = !piece.isEmpty() && piece.charAt(0) == replacement;
        if (!startsWithReplacement && (prependScheme == PrependScheme.ALWAYS
                || (prependScheme == PrependScheme.FIRST && piece.originalStart() == 0))) {
            piece.prepend(Character.toString(replacement));
        }
        if (!split) {
            return piece.isEmpty() ? List.of() : List.of(piece);
        }
        return SplitBehavior.MERGED_WITH_NEXT.split(piece, c -> c == replacement);
    }
}
