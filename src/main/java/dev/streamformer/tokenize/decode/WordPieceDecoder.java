package dev.streamformer.tokenize.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins WordPiece tokens: a continuing piece ({@code ##ing}) is glued to the previous one, other tokens get a space
 * in front; {@code cleanup} removes the spaces BERT's tokenization put before punctuation and contractions.
 */
public record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) {
                token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            }
            out.add(cleanup ? cleanup(token) : token);
        }
        return out;
    }

    /** HF's {@code cleanup}: the replacements BERT's original detokenizer made, in its order. */
    static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }
}
