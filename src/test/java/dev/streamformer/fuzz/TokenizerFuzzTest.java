package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our tokenizers, one per model type, on any text, lone surrogates and long inputs included. {@code encode}
 * documents no exception, so none may escape; every id must be in the vocabulary, every token string the
 * vocabulary's string for its id, every offset inside the text; decoding must not fail either; and byte-level BPE,
 * which loses nothing, must decode a well-formed text back to itself.
 *
 * <p>Input layout: the first byte picks the encoding of the rest (low 2 bits: 2 = raw UTF-16 code units, so
 * unpaired surrogates occur; otherwise UTF-8, malformed bytes becoming U+FFFD) and how often it repeats (bits 2-4:
 * 0 to 5 once, 6 64 times, 7 1024 times), so a small input can make a long text while most inputs stay short and
 * fast; the harness caps the text at {@link #MAX_CHARS}.
 */
class TokenizerFuzzTest {

    static final int MAX_CHARS = 16_384;
    /** newsgpt-mini's end-of-text token: decode skips special tokens, as Hugging Face's does. */
    private static final String BPE_SPECIAL = "<|endoftext|>";

    private static final Checked WORD_PIECE = new Checked(TokenizerFiles.wordPiece());
    private static final Checked BYTE_LEVEL_BPE = new Checked(TokenizerFiles.byteLevelBpe());
    private static final Checked UNIGRAM = new Checked(TokenizerFiles.unigram());

    @FuzzTest
    void wordPiece(byte[] input) {
        WORD_PIECE.check(text(input));
    }

    @FuzzTest
    void byteLevelBpe(byte[] input) {
        String text = text(input);
        int[] ids = BYTE_LEVEL_BPE.check(text);
        if (isWellFormed(text) && !text.contains(BPE_SPECIAL)) {
            assertEquals(text, BYTE_LEVEL_BPE.tokenizer.decode(ids), "byte-level BPE must decode to the text it encoded");
        }
    }

    @FuzzTest
    void unigram(byte[] input) {
        UNIGRAM.check(text(input));
    }

    /** A tokenizer and its vocabulary, read independently from the same file. */
    private static final class Checked {
        final Tokenizer tokenizer;
        final Tokenizer truncating;
        final TokenizerFiles.Vocabulary vocabulary;

        Checked(Path file) {
            tokenizer = Tokenizer.fromFile(file).withMaxLength(0);
            truncating = tokenizer.withMaxLength(16);
            vocabulary = TokenizerFiles.vocabulary(file);
        }

        /** Checks encode, encodePair, truncation and decode on {@code text}; returns the ids of encode. */
        int[] check(String text) {
            int codePoints = text.codePointCount(0, text.length());
            Encoding e = tokenizer.encode(text);
            checkEncoding(e, codePoints);
            tokenizer.decode(e.ids());

            Encoding cut = truncating.encode(text);
            checkEncoding(cut, codePoints);
            assertTrue(cut.length() <= 16, "truncated to 16 but got " + cut.length());
            assertEquals(e.length() > 16, cut.truncated(), "truncated flag");

            int half = text.length() / 2;
            Encoding pair = tokenizer.encodePair(text.substring(0, half), text.substring(half));
            checkEncoding(pair, codePoints);
            return e.ids();
        }

        private void checkEncoding(Encoding e, int codePoints) {
            int n = e.length();
            assertEquals(n, e.typeIds().length);
            assertEquals(n, e.tokens().length);
            assertEquals(n, e.offsets().length);
            assertEquals(n, e.specialTokensMask().length);
            for (int i = 0; i < n; i++) {
                int id = e.ids()[i];
                String expected = vocabulary.byId().get(id);
                assertTrue(expected != null, "id " + id + " is not in the vocabulary");
                if (id != vocabulary.freeTextId()) assertEquals(expected, e.tokens()[i], "token string of id " + id);
                int[] span = e.offsets()[i];
                assertEquals(2, span.length);
                assertTrue(0 <= span[0] && span[0] <= span[1] && span[1] <= codePoints,
                        "offsets [" + span[0] + ", " + span[1] + ") outside a text of " + codePoints + " code points");
                assertTrue(e.typeIds()[i] == 0 || e.typeIds()[i] == 1, "type id " + e.typeIds()[i]);
                assertTrue(e.specialTokensMask()[i] == 0 || e.specialTokensMask()[i] == 1);
            }
        }
    }

    /** The fuzz input as text, as the class comment describes. */
    static String text(byte[] input) {
        if (input.length == 0) return "";
        int head = input[0] & 0xff;
        String unit;
        if ((head & 3) == 2) {
            char[] chars = new char[(input.length - 1) / 2];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (((input[1 + 2 * i] & 0xff) << 8) | (input[2 + 2 * i] & 0xff));
            }
            unit = new String(chars);
        } else {
            unit = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        }
        int repeat = switch ((head >>> 2) & 7) {
            case 6 -> 64;
            case 7 -> 1024;
            default -> 1;
        };
        // no more copies than the cap needs (a 4 KB input times 1024 would be 4 M chars to cut down)
        repeat = Math.min(repeat, MAX_CHARS / Math.max(1, unit.length()) + 1);
        StringBuilder text = new StringBuilder(unit.repeat(repeat));
        if (text.length() > MAX_CHARS) {
            int cut = MAX_CHARS;
            // do not cut a surrogate pair in two: that would make a lone surrogate the input did not have
            if (Character.isHighSurrogate(text.charAt(cut - 1)) && Character.isLowSurrogate(text.charAt(cut))) cut--;
            text.setLength(cut);
        }
        return text.toString();
    }

    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return false;
        }
        return true;
    }
}
