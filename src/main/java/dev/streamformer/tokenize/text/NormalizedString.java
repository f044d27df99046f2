package dev.streamformer.tokenize.text;

import java.util.Arrays;

/**
 * A piece of text being normalized, with the alignment of every normalized character back to the original
 * text, as Hugging Face's {@code NormalizedString} keeps it.
 *
 * <p>Characters are Unicode code points. For normalized character {@code i}, {@code [start(i), end(i))} is the span
 * of original code points it came from, counted from the beginning of the whole input text (not of this piece).
 * Edits go through {@link #transform}, which follows Hugging Face's rule for carrying alignments: a character that
 * replaces another takes its alignment, a character that is inserted takes the alignment of the character before it.
 *
 * <p>Mutable and confined to one encode call.
 */
public final class NormalizedString {

    private int[] chars;
    private int[] starts;
    private int[] ends;
    private int length;
    /** Original offset of this piece's start: the alignment of a character inserted before everything. */
    private final int originalStart;
    private final int originalEnd;

    private NormalizedString(int[] chars, int[] starts, int[] ends, int length, int originalStart, int originalEnd) {
        this.chars = chars;
        this.starts = starts;
        this.ends = ends;
        this.length = length;
        this.originalStart = originalStart;
        this.originalEnd = originalEnd;
    }

    /** The code points {@code [from, to)} of {@code original}, where {@code from} is counted in code points. */
    public static NormalizedString of(int[] codePoints, int from, int to) {
        int n = to - from;
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = from + i;
            ends[i] = from + i + 1;
        }
        return new NormalizedString(Arrays.copyOfRange(codePoints, from, to), starts, ends, n, from, to);
    }

    public static NormalizedString of(String text) {
        int[] cps = text.codePoints().toArray();
        return of(cps, 0, cps.length);
    }

    public int length() { return length; }

    public boolean isEmpty() { return length == 0; }

    public int charAt(int i) { return chars[i]; }

    /** Original start offset (in code points) of normalized character {@code i}. */
    public int start(int i) { return starts[i]; }

    /** Original end offset (exclusive, in code points) of normalized character {@code i}. */
    public int end(int i) { return ends[i]; }

    /** The normalized code points (a copy). */
    public int[] codePoints() { return Arrays.copyOf(chars, length); }

    /** The normalized text. */
    public String text() { return new String(chars, 0, length); }

    /**
     * Original offsets {@code [start, end)} covered by the normalized range {@code [from, to)}; an empty range maps to
     * an empty span at the piece's start.
     */
    public int[] originalOffsets(int from, int to) {
        if (from >= to) {
            int at = from < length ? starts[from] : (length > 0 ? ends[length - 1] : originalStart);
            return new int[] {at, at};
        }
        return new int[] {starts[from], ends[to - 1]};
    }

    /** Original span of this whole piece. */
    public int originalStart() { return length > 0 ? starts[0] : originalStart; }

    public int originalEnd() { return length > 0 ? ends[length - 1] : originalEnd; }

    /** A new piece holding the normalized range {@code [from, to)} with its alignments. */
    public NormalizedString slice(int from, int to) {
        int[] o = originalOffsets(from, to);
        return new NormalizedString(Arrays.copyOfRange(chars, from, to), Arrays.copyOfRange(starts, from, to),
                Arrays.copyOfRange(ends, from, to), to - from, o[0], o[1]);
    }

    /** Replaces the whole normalized text; see {@link #transform(int, int, Edits, int)}. */
    public void transform(Edits edits, int initialRemoved) {
        transform(0, length, edits, initialRemoved);
    }

    /**
     * Replaces the normalized range {@code [from, to)} by the edited characters. Each new character carries a change:
     * {@code 0} replaces the next old character, {@code -n} replaces it and removes the {@code n} after it, {@code +1}
     * is inserted (aligned like the character before it). {@code initialRemoved} old characters are dropped first.
     */
    public void transform(int from, int to, Edits edits, int initialRemoved) {
        int n = edits.size();
        int[] newChars = new int[length - (to - from) + n];
        int[] newStarts = new int[newChars.length];
        int[] newEnds = new int[newChars.length];
        System.arraycopy(chars, 0, newChars, 0, from);
        System.arraycopy(starts, 0, newStarts, 0, from);
        System.arraycopy(ends, 0, newEnds, 0, from);
        int cursor = from + initialRemoved;
        for (int k = 0; k < n; k++) {
            int change = edits.change(k);
            int s;
            int e;
            if (change > 0) {
                if (cursor < 1) {
                    s = originalStart;
                    e = originalStart;
                } else {
                    s = starts[cursor - 1];
                    e = ends[cursor - 1];
                }
            } else {
                s = starts[cursor];
                e = ends[cursor];
                cursor += 1 - change;
            }
            newChars[from + k] = edits.charAt(k);
            newStarts[from + k] = s;
            newEnds[from + k] = e;
        }
        System.arraycopy(chars, to, newChars, from + n, length - to);
        System.arraycopy(starts, to, newStarts, from + n, length - to);
        System.arraycopy(ends, to, newEnds, from + n, length - to);
        chars = newChars;
        starts = newStarts;
        ends = newEnds;
        length = newChars.length;
    }

    /**
     * Replaces each of the normalized ranges (sorted, not overlapping, not empty) by {@code content}, in one pass. As in
     * HF's {@code replace}, the new characters take the alignment of the last character they replace.
     */
    public void replaceRanges(java.util.List<int[]> ranges, int[] content) {
        int removed = 0;
        for (int[] r : ranges) {
            removed += r[1] - r[0];
        }
        int n = length - removed + ranges.size() * content.length;
        int[] newChars = new int[n];
        int[] newStarts = new int[n];
        int[] newEnds = new int[n];
        int w = 0;
        int at = 0;
        for (int[] r : ranges) {
            int keep = r[0] - at;
            System.arraycopy(chars, at, newChars, w, keep);
            System.arraycopy(starts, at, newStarts, w, keep);
            System.arraycopy(ends, at, newEnds, w, keep);
            w += keep;
            for (int c : content) {
                newChars[w] = c;
                newStarts[w] = starts[r[1] - 1];
                newEnds[w] = ends[r[1] - 1];
                w++;
            }
            at = r[1];
        }
        System.arraycopy(chars, at, newChars, w, length - at);
        System.arraycopy(starts, at, newStarts, w, length - at);
        System.arraycopy(ends, at, newEnds, w, length - at);
        chars = newChars;
        starts = newStarts;
        ends = newEnds;
        length = n;
    }

    /** Keeps only the characters {@code keep} accepts (alignments of kept characters are unchanged). */
    public void filter(java.util.function.IntPredicate keep) {
        int w = 0;
        for (int i = 0; i < length; i++) {
            if (keep.test(chars[i])) {
                chars[w] = chars[i];
                starts[w] = starts[i];
                ends[w] = ends[i];
                w++;
            }
        }
        length = w;
    }

    /** Maps every character one to one (alignments unchanged). */
    public void map(java.util.function.IntUnaryOperator mapping) {
        for (int i = 0; i < length; i++) {
            chars[i] = mapping.applyAsInt(chars[i]);
        }
    }

    /** Prepends {@code s}: its characters take the alignment of the current first character (as HF does). */
    public void prepend(String s) {
        if (length == 0 || s.isEmpty()) {
            return;
        }
        Edits edits = new Edits();
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            edits.add(cps[i], i == 0 ? 0 : 1);
        }
        edits.add(chars[0], 1);
        transform(0, 1, edits, 0);
    }

    @Override
    public String toString() { return text(); }

    /** A growable list of (character, change) pairs for {@link #transform}. */
    public static final class Edits {
        private int[] chars = new int[16];
        private int[] changes = new int[16];
        private int size;

        public void add(int codePoint, int change) {
            if (size == chars.length) {
                chars = Arrays.copyOf(chars, size * 2);
                changes = Arrays.copyOf(changes, size * 2);
            }
            chars[size] = codePoint;
            changes[size] = change;
            size++;
        }

        public int size() { return size; }

        public int charAt(int i) { return chars[i]; }

        public int change(int i) { return changes[i]; }

        /** Sets the change of the {@code i}-th character. */
        public void setChange(int i, int change) { changes[i] = change; }
    }
}
