package dev.streamformer.task.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The text of one generation, grown token by token.
 *
 * <p>A token may end in the middle of a UTF-8 character (byte-level BPE splits multi-byte characters), and
 * decoding such a prefix gives U+FFFD. So after each token the whole sequence is decoded again and only text
 * that can no longer change is released: trailing U+FFFD, half a surrogate pair, and any tail that could be
 * the start of a stop string are held back until the next token decides them.
 */
public final class TextStream {

    private static final char REPLACEMENT = '\uFFFD';

    private final TokenDecoder decoder;
    private final List<String> stopStrings;
    private int[] ids = new int[16];
    private int count;
    private String text = "";
    private int released;
    private boolean stopped;

    public TextStream(TokenDecoder decoder, List<String> stopStrings) {
        this.decoder = decoder;
        this.stopStrings = stopStrings;
    }

    /** Adds a generated token; returns text now safe to show (possibly empty). */
    public String add(int id) {
        if (stopped) throw new IllegalStateException("the text already reached a stop string");
        if (count == ids.length) ids = Arrays.copyOf(ids, 2 * count);
        ids[count++] = id;
        String decoded = decoder.decode(Arrays.copyOf(ids, count));
        int stopAt = firstStop(decoded);
        if (stopAt >= 0) {
            text = decoded.substring(0, stopAt);
            stopped = true;
            return finish();
        }
        text = decoded;
        int safe = decoded.length();
        while (safe > 0 && decoded.charAt(safe - 1) == REPLACEMENT) safe--;
        safe -= longestStopPrefixEndingAt(decoded, safe);
        if (safe > 0 && Character.isHighSurrogate(decoded.charAt(safe - 1))) safe--;
        return release(safe);
    }

    /** True once the text contains a stop string; {@link #text()} ends just before it. */
    public boolean stopped() {
        return stopped;
    }

    /** Releases whatever is held back (at the end of generation). */
    public String finish() {
        return release(text.length());
    }

    /** The text so far, cut before a stop string when one was reached. */
    public String text() {
        return text;
    }

    private String release(int upTo) {
        if (upTo <= released) return "";
        String piece = text.substring(released, upTo);
        released = upTo;
        return piece;
    }

    private int firstStop(String s) {
        int first = -1;
        for (String stop : stopStrings) {
            int at = s.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** Length of the longest proper prefix of a stop string that {@code s[0, end)} ends with. */
    private int longestStopPrefixEndingAt(String s, int end) {
        int hold = 0;
        for (String stop : stopStrings) {
            for (int k = Math.min(stop.length() - 1, end); k > hold; k--) {
                if (s.regionMatches(end - k, stop, 0, k)) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }
}
