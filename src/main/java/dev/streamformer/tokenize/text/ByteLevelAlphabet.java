package dev.streamformer.tokenize.text;

/**
 * GPT-2's byte-to-character map: every byte 0-255 gets a printable character, so that byte-level BPE can work on
 * strings. Printable Latin-1 bytes map to themselves; the others (controls, space, ...) to U+0100 onwards in order,
 * which is why a space shows up as "Ġ" (U+0120) in GPT-2 vocabularies.
 */
public final class ByteLevelAlphabet {

    private static final int[] BYTE_TO_CHAR = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int c = printable ? b : 0x100 + next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The character standing for a byte. */
    public static int charOf(int b) { return BYTE_TO_CHAR[b & 0xFF]; }

    /** The byte a character stands for, or -1 when it stands for none. */
    public static int byteOf(int c) { return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1; }
}
