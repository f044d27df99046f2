package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamformer.tokenize.decode.MetaspaceDecoder;
import dev.streamformer.tokenize.model.Token;
import dev.streamformer.tokenize.model.Unigram;
import dev.streamformer.tokenize.pretokenize.Metaspace;
import dev.streamformer.tokenize.text.ByteLevelAlphabet;
import dev.streamformer.tokenize.text.NormalizedString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Components of the BPE and Unigram pipelines on inputs whose results HF's tests and docs give. */
class BpeAndUnigramComponentsTest {

    @Test
    void gpt2ByteAlphabetMapsSpaceToGAndKeepsPrintableBytes() {
        // GPT-2's bytes_to_unicode: ' ' -> 'Ġ' (U+0120), '\n' -> 'Ċ' (U+010A), printable ASCII unchanged
        assertEquals(0x120, ByteLevelAlphabet.charOf(' '));
        assertEquals(0x10A, ByteLevelAlphabet.charOf('\n'));
        assertEquals('a', ByteLevelAlphabet.charOf('a'));
        for (int b = 0; b < 256; b++) {
            assertEquals(b, ByteLevelAlphabet.byteOf(ByteLevelAlphabet.charOf(b)));
        }
    }

    @Test
    void unigramPicksTheSegmentationWithTheBestTotalScore() {
        // HF tokenizers, models/unigram test_encode: "abcd" -> abcd, "abc" -> abc, "abcc" -> abc c (scores below)
        String[] pieces = {"<unk>", "a", "b", "c", "d", "cd", "ab", "abc", "abcd"};
        double[] scores = {0, 0, 0, 0, 0, 1, 2, 5, 10};
        Unigram model = new Unigram(pieces, scores, 0, false);
        assertEquals(List.of("abcd"), values(model.tokenize("abcd".codePoints().toArray())));
        assertEquals(List.of("abc", "c"), values(model.tokenize("abcc".codePoints().toArray())));
        // unknown characters are fused into one unknown token
        assertEquals(List.of(new Token(0, "xy", 0, 2), new Token(1, "a", 2, 3)),
                model.tokenize("xya".codePoints().toArray()));
    }

    @Test
    void unigramByteFallbackSpellsUnknownCharactersAsBytes() {
        // HF tokenizers, models/unigram test_unigram_bytefallback: "é" -> <0xC3> <0xA9>
        Unigram model = new Unigram(new String[] {"<unk>", "<0xC3>", "<0xA9>"}, new double[] {0, -0.01, -0.03}, 0, true);
        assertEquals(List.of(new Token(1, "<0xC3>", 0, 1), new Token(2, "<0xA9>", 0, 1)),
                model.tokenize("é".codePoints().toArray()));
    }

    @Test
    void metaspaceReplacesSpacesAndStartsEachWordWithTheMark() {
        // HF tokenizers, pre_tokenizers/metaspace: "Hey friend!" -> "▁Hey", "▁friend!"; the second word's mark is
        // the original space (index 3), so it covers the original [3, 11)
        List<NormalizedString> words = new Metaspace('▁', Metaspace.PrependScheme.ALWAYS, true)
                .split(NormalizedString.of("Hey friend!"));
        assertEquals(List.of("▁Hey0-3", "▁friend!3-11"),
                words.stream().map(w -> w.text() + w.originalStart() + "-" + w.originalEnd()).toList());
        assertEquals("Hey friend!", new MetaspaceDecoder('▁', true).decode(List.of("▁Hey", "▁friend!")));
    }

    private static List<String> values(List<Token> tokens) {
        return tokens.stream().map(Token::value).toList();
    }
}
