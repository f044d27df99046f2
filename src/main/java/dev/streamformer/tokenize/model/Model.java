package dev.streamformer.tokenize.model;

import java.util.List;

/** Third stage: turns one pre-tokenized word into vocabulary tokens. */
public interface Model {

    /** Tokens of {@code word} (normalized code points), offsets relative to the word. */
    List<Token> tokenize(int[] word);

    /** Id of a vocabulary token, or -1. */
    int tokenToId(String token);

    /** Token string of an id, or null. */
    String idToToken(int id);
}
