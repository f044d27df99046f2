package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamformer.tokenize.decode.MetaspaceDecoder;
import dev.streamformer.tokenize.model.Bpe;
import dev.streamformer.tokenize.model.Token;
import dev.streamformer.tokenize.model.Unigram;
import dev.streamformer.tokenize.model.Vocabulary;
import dev.streamformer.tokenize.pretokenize.Metaspace;
import dev.streamformer.tokenize.text.ByteLevelAlphabet;
import dev.streamformer.tokenize.text.NormalizedString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    void bpeAppliesMergesByRank() {
        // HF tokenizers, models/bpe test_tokenize_with_and_without_dropout: "unrelated" merges into one token
        String[] tokens = {"u", "n", "r", "e", "l", "a", "t", "d", "re", "at", "ed", "un", "ated", "rel", "related",
                "unrelated"};
        Map<String, Integer> vocab = new HashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            vocab.put(tokens[i], i);
        }
        List<String[]> merges = Stream.of("r e", "a t", "e d", "u n", "at ed", "re l", "rel ated", "un related")
                .map(m -> m.split(" ")).toList();
        Bpe bpe = new Bpe(new Vocabulary(vocab), merges, null, false, false, false);
        assertEquals(List.of(new Token(15, "unrelated", 0, 9)), bpe.tokenize("unrelated".codePoints().toArray()));
        assertEquals(List.of(new Token(14, "related", 0, 7)), bpe.tokenize("related".codePoints().toArray()));
    }

    @Test
    void bpeByteFallbackSpellsMissingCharactersAsBytesOrUnknown() {
        // HF tokenizers, models/bpe test_bpe_byte_fallback: "c" -> <unk>, "a" -> <0x61>; and a 4-byte emoji -> 4 bytes
        Map<String, Integer> vocab = Map.of("<unk>", 0, "<0x61>", 1, "<0xF0>", 2, "<0x9F>", 3, "<0x98>", 4, "<0x80>", 5);
        Bpe bpe = new Bpe(new Vocabulary(vocab), List.of(), "<unk>", false, true, false);
        assertEquals(List.of(new Token(0, "<unk>", 0, 1)), bpe.tokenize("c".codePoints().toArray()));
        assertEquals(List.of(new Token(1, "<0x61>", 0, 1)), bpe.tokenize("a".codePoints().toArray()));
        assertEquals(List.of("<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "<0x61>"),
                values(bpe.tokenize("😀a".codePoints().toArray())));
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
