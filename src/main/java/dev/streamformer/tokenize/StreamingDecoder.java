package dev.streamformer.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ids one at a time as a generator produces them, emitting text only once it is complete: never half of a
 * UTF-8 character split across byte tokens, and with the spacing the full decode would have (a word-start marker
 * becomes a space only when it is not the first token).
 *
 * <p>It decodes a short window of recent ids and emits what the newest id added to the window's text, as Hugging
 * Face's {@code DecodeStream} does; text ending in U+FFFD (an incomplete character) is held back until more ids come.
 * One instance per generated sequence; not thread-safe.
 */
public final class StreamingDecoder {

    private static final String INCOMPLETE = "\uFFFD";

    private final Tokenizer tokenizer;
    private final List<Integer> window = new ArrayList<>();
    /** Decoded text of the ids before {@code prefixIndex} in the window. */
    private String prefix = "";
    private int prefixIndex;

    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one id; returns the newly completed text, or "" when there is none yet. */
    public String next(int id) {
        window.add(id);
        String text = tokenizer.decode(ids(0));
        if (text.length() <= prefix.length() || text.endsWith(INCOMPLETE) || !text.startsWith(prefix)) {
            return "";
        }
        String added = text.substring(prefix.length());
        // keep only the ids from the previous prefix start: they give the next id its context (spacing)
        int newPrefixIndex = window.size() - prefixIndex;
        window.subList(0, prefixIndex).clear();
        prefix = tokenizer.decode(ids(0));
        prefixIndex = newPrefixIndex;
        return added;
    }

    /** Whatever is still held back (an incomplete character decodes to U+FFFD), at the end of the sequence. */
    public String finish() {
        String text = tokenizer.decode(ids(0));
        String rest = text.startsWith(prefix) ? text.substring(prefix.length()) : "";
        window.clear();
        prefix = "";
        prefixIndex = 0;
        return rest;
    }

    private int[] ids(int from) {
        return window.subList(from, window.size()).stream().mapToInt(Integer::intValue).toArray();
    }
}
