package dev.streamformer.tokenize.pretokenize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeChars;
import java.util.ArrayList;
import java.util.List;

/** BERT's words: split on whitespace (removed), then on punctuation (each mark its own word). */
public final class BertPreTokenizer implements PreTokenizer {

    @Override
    public List<NormalizedString> split(NormalizedString piece) {
        List<NormalizedString> words = new ArrayList<>();
        int wordStart = 0;
        for (int i = 0; i < piece.length(); i++) {
            int c = piece.charAt(i);
            boolean space = UnicodeChars.isWhitespace(c);
            if (space || UnicodeChars.isBertPunctuation(c)) {
                if (i > wordStart) {
                    words.add(piece.slice(wordStart, i));
                }
                if (!space) {
                    words.add(piece.slice(i, i + 1));
                }
                wordStart = i + 1;
            }
        }
        if (piece.length() > wordStart) {
            words.add(piece.slice(wordStart, piece.length()));
        }
        return words;
    }
}
