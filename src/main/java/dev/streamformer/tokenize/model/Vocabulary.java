package dev.streamformer.tokenize.model;

import java.util.HashMap;
import java.util.Map;

/** Token strings to ids and back. */
public final class Vocabulary {

    private final Map<String, Integer> ids;
    private final String[] tokens;

    public Vocabulary(Map<String, Integer> ids) {
        this.ids = Map.copyOf(ids);
        int max = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.tokens = new String[max + 1];
        ids.forEach((token, id) -> tokens[id] = token);
    }

    /** A vocabulary from tokens in id order; a token listed twice gets its last id (as HF does). */
    public static Vocabulary ofTokens(String[] tokensById) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokensById.length; i++) {
            ids.put(tokensById[i], i);
        }
        return new Vocabulary(ids);
    }

    /** Id of a token, or -1. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** Token of an id, or null. */
    public String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    public int size() { return ids.size(); }
}
