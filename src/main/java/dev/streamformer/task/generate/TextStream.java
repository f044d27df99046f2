package dev.streamformer.task.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The text of one generation, grown token by token.
 *
 * <p>A token may end in the middle of a UTF-8 character (byte-level BPE splits multi-byte characters), and
 * decoding such a prefix gives U+FFFD. Decoding only the new token is not enough either: SentencePiece decoders
 * drop the space of a sequence's first token, and byte pieces need their neighbours. So, as Hugging Face's
 * text-generation-inference does, each step decodes a short window: the tokens already shown since the last
 * release (their text is known) plus the new ones; the difference is the new text, taken once it no longer ends
 * in U+FFFD. The window stays a few tokens long, so a generation costs linear, not quadratic, decoding. Text that
 * could still become a stop string is held back until the next token decides it.
 */
public final class TextStream {

    private static final char REPLACEMENT = '\uFFFD';

    private final TokenDecoder decoder;
    private final List<String> stopStrings;
    private final int longestStop;
    private int[] ids = new int[16];
    private int count;
    private int contextStart;  // ids[contextStart, decodedEnd): already in text, decoded again as the new tokens' context
    private int decodedEnd;    // ids[decodedEnd, count): not yet in text (e.g. half a character)
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    public TextStream(TokenDecoder decoder, List<String> stopStrings) {
        this.decoder = decoder;
        this.stopStrings = stopStrings;
        this.longestStop = stopStrings.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Adds a generated token; returns text now safe to show (possibly empty). */
    public String add(int id) {
        if (stopped) throw new IllegalStateException("the text already reached a stop string");
        if (count == ids.length) ids = Arrays.copyOf(ids, 2 * count);
        ids[count++] = id;
        String context = decoder.decode(Arrays.copyOfRange(ids, contextStart, decodedEnd));
        String extended = decoder.decode(Arrays.copyOfRange(ids, contextStart, count));
        if (extended.length() > context.length() && extended.charAt(extended.length() - 1) != REPLACEMENT) {
            append(extended.substring(context.length()));
            contextStart = decodedEnd;
            decodedEnd = count;
            if (stopped) return finish();
        }
        int safe = text.length() - longestStopPrefixEndingAt(text, text.length());
        if (safe > 0 && Character.isHighSurrogate(text.charAt(safe - 1))) safe--;
        return release(safe);
    }

    /** True once the text contains a stop string; {@link #text()} ends just before it. */
    public boolean stopped() {
        return stopped;
    }

    /** Releases whatever is held back (at the end of generation), undecodable bytes included as U+FFFD. */
    public String finish() {
        if (!stopped && decodedEnd < count) {
            String context = decoder.decode(Arrays.copyOfRange(ids, contextStart, decodedEnd));
            String extended = decoder.decode(Arrays.copyOfRange(ids, contextStart, count));
            if (extended.length() > context.length()) append(extended.substring(context.length()));
            contextStart = decodedEnd = count;
        }
        return release(text.length());
    }

    /** The text so far, cut before a stop string when one was reached. */
    public String text() {
        return text.toString();
    }

    /** Adds new text and cuts it at the first stop string (one may straddle the old end, so look back a little). */
    private void append(String piece) {
        int from = Math.max(0, text.length() - Math.max(0, longestStop - 1));
        text.append(piece);
        int stopAt = firstStop(from);
        if (stopAt >= 0) {
            text.setLength(stopAt);
            stopped = true;
        }
    }

    private String release(int upTo) {
        if (upTo <= released) return "";
        String piece = text.substring(released, upTo);
        released = upTo;
        return piece;
    }

    private int firstStop(int from) {
        int first = -1;
        for (String stop : stopStrings) {
            int at = text.indexOf(stop, from);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** Length of the longest proper prefix of a stop string that {@code s[0, end)} ends with. */
    private int longestStopPrefixEndingAt(CharSequence s, int end) {
        int hold = 0;
        for (String stop : stopStrings) {
            for (int k = Math.min(stop.length() - 1, end); k > hold; k--) {
                if (endsWith(s, end, stop, k)) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }

    /** True when {@code s[end - k, end)} equals the first {@code k} characters of {@code stop} (no copies: runs per token). */
    private static boolean endsWith(CharSequence s, int end, String stop, int k) {
        for (int i = 0; i < k; i++) {
            if (s.charAt(end - k + i) != stop.charAt(i)) return false;
        }
        return true;
    }
}
