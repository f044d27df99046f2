package dev.streamformer.tokenize.text;

/**
 * A read-only double-array trie over bytes in the format of Darts-clone, which SentencePiece uses for its
 * normalization rules. Each 32-bit unit packs a label (the byte that leads to it), an offset (XORed into the position
 * to reach its children) and a leaf flag; the child at label 0 of a node that ends a key holds the key's value.
 */
public final class DoubleArrayTrie {

    private final int[] units;

    public DoubleArrayTrie(int[] units) {
        this.units = units.clone();
    }

    /**
     * The value of the shortest key that is a prefix of {@code key[from, to)}, or -1 when no key is. A byte 0 ends the
     * search, as in SentencePiece.
     */
    public int shortestPrefixValue(byte[] key, int from, int to) {
        int position = offset(units[0]);
        for (int i = from; i < to; i++) {
            int label = key[i] & 0xFF;
            if (label == 0) {
                return -1;
            }
            position ^= label;
            if (position >= units.length) {
                return -1;
            }
            int unit = units[position];
            if ((unit & 0x800000FF) != label) {
                return -1;
            }
            position ^= offset(unit);
            if (hasLeaf(unit) && position < units.length) {
                return units[position] & 0x7FFFFFFF;
            }
        }
        return -1;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }
}
