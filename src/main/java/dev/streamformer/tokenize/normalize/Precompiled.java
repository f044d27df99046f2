package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.DoubleArrayTrie;
import dev.streamformer.tokenize.text.NormalizedString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Arrays;
import java.util.Locale;

/**
 * SentencePiece's normalization rules (XLM-R's {@code nmt_nfkc}: NFKC plus some clean-up) as compiled into a model's
 * {@code precompiled_charsmap}: a byte trie of source strings and, after it, the replacement strings they map to.
 *
 * <p>Applied the way Hugging Face tokenizers does, which is not quite SentencePiece's longest match: the text is cut
 * into grapheme clusters; a cluster shorter than 6 UTF-8 bytes is replaced as a whole by the rule of the shortest rule
 * source it starts with, if any; otherwise each of its characters is looked up alone. Alignments follow HF's bookkeeping:
 * a replacement longer than its source marks the extra characters as inserted, a shorter one (or an empty one) makes
 * the last character written so far swallow the difference.
 */
public final class Precompiled implements Normalizer {

    /** Whole clusters are looked up only below this many UTF-8 bytes (HF's rule). */
    private static final int MAX_CLUSTER_BYTES = 6;

    /** The rule sources; a source's value is where its replacement starts in {@link #replacements}. */
    private final DoubleArrayTrie trie;
    /** The replacement strings in UTF-8, each ending with a byte 0. */
    private final byte[] replacements;

    private Precompiled(DoubleArrayTrie trie, byte[] replacements) {
        this.trie = trie;
        this.replacements = replacements;
    }

    /**
     * Reads a charsmap: a little-endian 32-bit size of the trie in bytes, the trie's 32-bit units, then the
     * replacement strings.
     */
    public static Precompiled fromCharsMap(byte[] charsMap) {
        ByteBuffer buffer = ByteBuffer.wrap(charsMap).order(ByteOrder.LITTLE_ENDIAN);
        int trieBytes = buffer.getInt();
        if (trieBytes < 4 || trieBytes % 4 != 0 || trieBytes > charsMap.length - 4) {
            throw new IllegalArgumentException("the precompiled_charsmap is damaged: its trie size " + trieBytes
                    + " does not fit its " + charsMap.length + " bytes");
        }
        int[] units = new int[trieBytes / 4];
        buffer.asIntBuffer().get(units);
        return new Precompiled(new DoubleArrayTrie(units), Arrays.copyOfRange(charsMap, 4 + trieBytes, charsMap.length));
    }

    @Override
    public void normalize(NormalizedString text) {
        String s = text.text();
        byte[] utf8 = new byte[4 * MAX_CLUSTER_BYTES];
        NormalizedString.Edits edits = new NormalizedString.Edits();
        boolean modified = false;
        BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
        clusters.setText(s);
        int start = clusters.first();
        for (int end = clusters.next(); end != BreakIterator.DONE; start = end, end = clusters.next()) {
            int clusterChars = s.codePointCount(start, end);
            int clusterBytes = utf8Length(s, start, end);
            if (clusterBytes < MAX_CLUSTER_BYTES) {
                String replacement = lookup(utf8, encode(s, start, end, utf8));
                if (replacement != null) {
                    replace(edits, clusterChars, replacement);
                    modified = true;
                    continue;
                }
            }
            for (int i = start; i < end; i += Character.charCount(s.codePointAt(i))) {
                int c = s.codePointAt(i);
                int next = i + Character.charCount(c);
                String replacement = clusterChars == 1 && clusterBytes < MAX_CLUSTER_BYTES ? null
                        : lookup(utf8, encode(s, i, next, utf8));
                if (replacement != null) {
                    replace(edits, 1, replacement);
                    modified = true;
                } else {
                    edits.add(c, 0);
                }
            }
        }
        if (modified) {
            text.transform(edits, 0);
        }
    }

    /** HF's bookkeeping for replacing {@code oldChars} characters by {@code replacement}. */
    private static void replace(NormalizedString.Edits edits, int oldChars, String replacement) {
        int newChars = 0;
        for (int c : replacement.codePoints().toArray()) {
            edits.add(c, 0);
            newChars++;
        }
        int diff = newChars - oldChars;
        if (diff > 0) {
            for (int k = edits.size() - diff; k < edits.size(); k++) {
                edits.setChange(k, 1);
            }
        } else if (diff < 0 && edits.size() > 0) {
            int last = edits.size() - 1;
            edits.setChange(last, edits.change(last) + diff);
        }
    }

    /** The replacement for the shortest rule source that {@code key[0, length)} starts with, or null. */
    private String lookup(byte[] key, int length) {
        int at = trie.shortestPrefixValue(key, 0, length);
        if (at < 0 || at > replacements.length) {
            return null;
        }
        int end = at;
        while (end < replacements.length && replacements[end] != 0) {
            end++;
        }
        return new String(replacements, at, end - at, StandardCharsets.UTF_8);
    }

    private static int utf8Length(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** Writes the UTF-8 bytes of {@code s[from, to)} (at most {@code buffer.length}) and returns how many. */
    private static int encode(String s, int from, int to, byte[] buffer) {
        byte[] bytes = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, buffer.length);
        System.arraycopy(bytes, 0, buffer, 0, n);
        return n;
    }
}
