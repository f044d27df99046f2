package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.ByteLevelAlphabet;
import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.TextPattern;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's pre-tokenizer: optionally a space in front, words by GPT-2's regex (contractions, letters, digits, other
 * symbols, each with one optional leading space; runs of spaces), then each word rewritten as its UTF-8 bytes, one
 * {@link ByteLevelAlphabet} character per byte. All bytes of a character keep that character's alignment.
 */
public record ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {

    private static final TextPattern GPT2_WORDS =
            TextPattern.regex("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        if (addPrefixSpace && (piece.isEmpty() || piece.charAt(0) != ' ')) {
            piece.prepend(" ");
        }
        List<NormalizedString> words = useRegex ? SplitBehavior.ISOLATED.split(piece, GPT2_WORDS.findMatches(piece))
                : new ArrayList<>(List.of(piece));
        for (NormalizedString word : words) {
            toBytes(word);
        }
        return words;
    }

    /** Rewrites every character as the alphabet characters of its UTF-8 bytes (first byte replaces, others insert). */
    static void toBytes(NormalizedString word) {
        NormalizedString.Edits edits = new NormalizedString.Edits();
        for (int i = 0; i < word.length(); i++) {
            int c = word.charAt(i);
            if (c < 0x80) {
                edits.add(ByteLevelAlphabet.charOf(c), 0);
                continue;
            }
            byte[] bytes = Character.toString(c).getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < bytes.length; k++) {
                edits.add(ByteLevelAlphabet.charOf(bytes[k]), k == 0 ? 0 : 1);
            }
        }
        word.transform(edits, 0);
    }
}
