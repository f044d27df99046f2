package dev.streamformer.tokenize.text;

import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unicode normalization forms (NFD, NFKD, NFC, NFKC) applied to a {@link NormalizedString} with the alignment changes
 * Hugging Face computes.
 *
 * <p>The characters come from {@link Normalizer}. The changes follow HF's {@code unicode_normalization_alignments}:
 * each original character decomposes into a first character (change 0) and extra ones (+1), which canonical
 * reordering carries along; a composition merges k characters into one whose change is the sum of theirs minus
 * {@code k - 1}.
 */
public final class UnicodeForms {

    private static final Map<Integer, int[]> CANONICAL = new ConcurrentHashMap<>();
    private static final Map<Integer, int[]> COMPATIBLE = new ConcurrentHashMap<>();

    private UnicodeForms() {}

    public static void nfd(NormalizedString s) { decompose(s, false); }

    public static void nfkd(NormalizedString s) { decompose(s, true); }

    public static void nfc(NormalizedString s) { compose(s, false); }

    public static void nfkc(NormalizedString s) { compose(s, true); }

    private static void decompose(NormalizedString s, boolean compatible) {
        String text = s.text();
        if (Normalizer.isNormalized(text, compatible ? Normalizer.Form.NFKD : Normalizer.Form.NFD)) {
            return;
        }
        s.transform(decomposedEdits(s, compatible), 0);
    }

    private static void compose(NormalizedString s, boolean compatible) {
        String text = s.text();
        Normalizer.Form form = compatible ? Normalizer.Form.NFKC : Normalizer.Form.NFC;
        if (Normalizer.isNormalized(text, form)) {
            return;
        }
        NormalizedString.Edits decomposed = decomposedEdits(s, compatible);
        int[] composed = Normalizer.normalize(text, form).codePoints().toArray();
        boolean[] used = new boolean[decomposed.size()];
        NormalizedString.Edits edits = new NormalizedString.Edits();
        int p = 0;
        for (int c : composed) {
            while (p < used.length && used[p]) {
                p++;
            }
            if (p < used.length && decomposed.charAt(p) == c) {
                used[p] = true;
                edits.add(c, decomposed.change(p));
                continue;
            }
            // c merges several decomposed characters: its canonical decomposition, found in order from p on
            int[] parts = decomposition(c, false);
            int change = 0;
            int merged = 0;
            int q = p;
            for (int part : parts) {
                while (q < used.length && (used[q] || decomposed.charAt(q) != part)) {
                    q++;
                }
                if (q == used.length) {
                    break;
                }
                used[q] = true;
                change += decomposed.change(q);
                merged++;
            }
            edits.add(c, merged == 0 ? 0 : change - (merged - 1));
        }
        s.transform(edits, 0);
    }

    /** The decomposed characters of {@code s} in canonical order, each with its change. */
    private static NormalizedString.Edits decomposedEdits(NormalizedString s, boolean compatible) {
        // per original character: first part change 0, others +1 (before reordering)
        int n = s.length();
        int[] flatChars = new int[n * 2];
        int[] flatChanges = new int[n * 2];
        int size = 0;
        for (int i = 0; i < n; i++) {
            int[] parts = decomposition(s.charAt(i), compatible);
            if (size + parts.length > flatChars.length) {
                flatChars = Arrays.copyOf(flatChars, (size + parts.length) * 2);
                flatChanges = Arrays.copyOf(flatChanges, (size + parts.length) * 2);
            }
            for (int k = 0; k < parts.length; k++) {
                flatChars[size] = parts[k];
                flatChanges[size] = k == 0 ? 0 : 1;
                size++;
            }
        }
        // canonical reordering is stable among equal characters: the k-th occurrence of a character in the
        // normalized text is its k-th occurrence before reordering
        int[] ordered = Normalizer.normalize(s.text(), compatible ? Normalizer.Form.NFKD : Normalizer.Form.NFD)
                .codePoints().toArray();
        NormalizedString.Edits edits = new NormalizedString.Edits();
        if (Arrays.equals(ordered, 0, ordered.length, flatChars, 0, size)) {
            for (int k = 0; k < size; k++) {
                edits.add(flatChars[k], flatChanges[k]);
            }
            return edits;
        }
        Map<Integer, ArrayDeque<Integer>> occurrences = new HashMap<>();
        for (int k = 0; k < size; k++) {
            occurrences.computeIfAbsent(flatChars[k], c -> new ArrayDeque<>()).add(k);
        }
        for (int c : ordered) {
            ArrayDeque<Integer> queue = occurrences.get(c);
            Integer k = queue == null ? null : queue.poll();
            edits.add(c, k == null ? 0 : flatChanges[k]);
        }
        return edits;
    }

    /** Full decomposition of one code point. */
    static int[] decomposition(int c, boolean compatible) {
        if (c < 0xA0) {
            return new int[] {c};
        }
        Map<Integer, int[]> cache = compatible ? COMPATIBLE : CANONICAL;
        int[] parts = cache.get(c);
        if (parts == null) {
            parts = Normalizer.normalize(Character.toString(c), compatible ? Normalizer.Form.NFKD : Normalizer.Form.NFD)
                    .codePoints().toArray();
            cache.put(c, parts);
        }
        return parts;
    }
}
