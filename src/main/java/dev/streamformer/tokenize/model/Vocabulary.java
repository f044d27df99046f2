package dev.streamformer.tokenize.model;

import java.util.HashMap;
import java.util.Map;

/** Token strings to ids and back. Immutable after construction. */
public final class Vocabulary {

    private final Map<String, Integer> ids;
    private final String[] tokens;

    public Vocabulary(Map<String, Integer> ids) {
        this(ids.keySet().toArray(new String[0]), ids.values().stream().mapToInt(Integer::intValue).toArray());
    }

    /** The vocabulary where {@code tokens[k]} has id {@code ids[k]}; a token listed twice keeps its last id. */
    public Vocabulary(String[] tokens, int[] ids) {
        this.ids = HashMap.newHashMap(tokens.length);
        int max = -1;
        for (int k = 0; k < tokens.length; k++) {
            this.ids.put(tokens[k], ids[k]);
            max = Math.max(max, ids[k]);
        }
        this.tokens = new String[max + 1];
        for (int k = 0; k < tokens.length; k++) {
            this.tokens[ids[k]] = tokens[k];
        }
    }

    /** A vocabulary from tokens in id order; a token listed twice gets its last id (as HF does). */
    public static Vocabulary ofTokens(String[] tokensById) {
        int[] ids = new int[tokensById.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return new Vocabulary(tokensById, ids);
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
