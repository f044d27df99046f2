package dev.streamformer.tokenize.process;

import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.model.Token;
import java.util.ArrayList;
import java.util.List;

/** Collects tokens, type ids and special-token flags into an {@link Encoding}. */
public final class EncodingBuilder {

    private final List<Token> tokens = new ArrayList<>();
    private final List<Integer> typeIds = new ArrayList<>();
    private final List<Boolean> special = new ArrayList<>();

    /** Adds the tokens of a text with the given type id. */
    public void addSegment(List<Token> segment, int typeId) {
        for (Token t : segment) {
            tokens.add(t);
            typeIds.add(typeId);
            special.add(false);
        }
    }

    /** Adds a special token; its offsets are {@code [0, 0]}. */
    public void addSpecial(int id, String token, int typeId) {
        tokens.add(new Token(id, token, 0, 0));
        typeIds.add(typeId);
        special.add(true);
    }

    public Encoding build(boolean truncated) {
        int n = tokens.size();
        int[] ids = new int[n];
        int[] types = new int[n];
        String[] strings = new String[n];
        int[][] offsets = new int[n][];
        int[] mask = new int[n];
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            ids[i] = t.id();
            types[i] = typeIds.get(i);
            strings[i] = t.value();
            offsets[i] = new int[] {t.start(), t.end()};
            mask[i] = special.get(i) ? 1 : 0;
        }
        return new Encoding(ids, types, strings, offsets, mask, truncated);
    }
}
