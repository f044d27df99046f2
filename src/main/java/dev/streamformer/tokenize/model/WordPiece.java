package dev.streamformer.tokenize.model;

import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece: greedy longest-match-first. The first piece of a word is looked up as is, every later piece with the
 * continuing-subword prefix ({@code ##}). A word with a part no piece matches, or longer than
 * {@code maxInputCharsPerWord} characters, becomes the single unknown token.
 */
public final class WordPiece implements Model {

    private final Vocabulary vocabulary;
    private final String unkToken;
    private final int unkId;
    private final String continuingSubwordPrefix;
    private final int maxInputCharsPerWord;

    public WordPiece(Vocabulary vocabulary, String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord) {
        this.vocabulary = vocabulary;
        this.unkToken = unkToken;
        this.unkId = vocabulary.id(unkToken);
        if (unkId < 0) {
            throw new IllegalArgumentException("the WordPiece unk_token " + unkToken + " is not in the vocabulary");
        }
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    @Override
    public List<Token> tokenize(int[] word) {
        if (word.length > maxInputCharsPerWord) {
            return List.of(unknown(word));
        }
        List<Token> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length) {
            Token piece = null;
            for (int end = word.length; end > start; end--) {
                String text = new String(word, start, end - start);
                String candidate = start > 0 ? continuingSubwordPrefix + text : text;
                int id = vocabulary.id(candidate);
                if (id >= 0) {
                    piece = new Token(id, candidate, start, end);
                    break;
                }
            }
            if (piece == null) {
                return List.of(unknown(word));
            }
            pieces.add(piece);
            start = piece.end();
        }
        return pieces;
    }

    private Token unknown(int[] word) {
        return new Token(unkId, unkToken, 0, word.length);
    }

    @Override
    public int tokenToId(String token) { return vocabulary.id(token); }

    @Override
    public String idToToken(int id) { return vocabulary.token(id); }
}
