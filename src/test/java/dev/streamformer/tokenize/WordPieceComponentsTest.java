package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamformer.tokenize.decode.WordPieceDecoder;
import dev.streamformer.tokenize.model.Token;
import dev.streamformer.tokenize.model.Vocabulary;
import dev.streamformer.tokenize.model.WordPiece;
import dev.streamformer.tokenize.normalize.BertNormalizer;
import dev.streamformer.tokenize.pretokenize.BertPreTokenizer;
import dev.streamformer.tokenize.text.NormalizedString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WordPiece pipeline's components on small inputs whose expected results come from HF's own tests and docs. */
class WordPieceComponentsTest {

    @Test
    void wordPieceIsGreedyLongestMatchFirstAndFallsBackToUnknownForTheWholeWord() {
        // HF tokenizers, models/wordpiece: "banana" -> ba ##na ##na, "nanana" -> [UNK] over the whole word
        WordPiece model = new WordPiece(new Vocabulary(Map.of("##na", 0, "ba", 1, "[UNK]", 2)), "[UNK]", "##", 100);
        assertEquals(List.of(new Token(1, "ba", 0, 2), new Token(0, "##na", 2, 4), new Token(0, "##na", 4, 6)),
                model.tokenize("banana".codePoints().toArray()));
        assertEquals(List.of(new Token(2, "[UNK]", 0, 6)), model.tokenize("nanana".codePoints().toArray()));
    }

    @Test
    void bertPreTokenizerSplitsOnWhitespaceAndIsolatesEachPunctuationMark() {
        // HF tokenizers, pre_tokenizers/bert: "Hey friend!     How are you?!?"
        NormalizedString text = NormalizedString.of("Hey friend!     How are you?!?");
        List<String> words = new BertPreTokenizer().split(text).stream()
                .map(w -> w.text() + w.originalStart() + "-" + w.originalEnd()).toList();
        assertEquals(List.of("Hey0-3", "friend4-10", "!10-11", "How16-19", "are20-23", "you24-27", "?27-28", "!28-29",
                "?29-30"), words);
    }

    @Test
    void bertNormalizerStripsAccentsAndLowercasesKeepingOffsetsInTheOriginal() {
        // HF's BertNormalizer with lowercase (strip_accents follows it): "Héllo" -> "hello", each char aligned to its source
        NormalizedString text = NormalizedString.of("He\u0301llo 你");
        new BertNormalizer(true, true, true, true).normalize(text);
        assertEquals("hello  你 ", text.text());
        assertEquals(1, text.start(1), "the e keeps its own alignment");
        assertEquals(3, text.start(2), "the removed accent leaves a gap: l comes from original index 3");
        assertEquals(7, text.start(7), "the ideograph keeps its alignment");
        assertEquals(6, text.start(6), "the space inserted before it takes the alignment of the character before");
        assertEquals(7, text.start(8), "the space inserted after it takes the ideograph's");
    }

    @Test
    void wordPieceDecoderJoinsContinuationsAndCleansUpPunctuation() {
        // HF decoders/wordpiece test: "##uelo Ara ##új ##o No ##guera" without cleanup
        assertEquals("##uelo Araújo Noguera", new WordPieceDecoder("##", false)
                .decode(List.of("##uelo", "Ara", "##új", "##o", "No", "##guera")));
        assertEquals("hello, world!", new WordPieceDecoder("##", true).decode(List.of("hello", ",", "world", "!")));
    }

    @Test
    void aFileWithAnUnsupportedComponentIsRefusedAtLoadNamingItAndTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, """
                {"normalizer": {"type": "ByteLevelish"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromFile(file));
        assertTrue(e.getMessage().contains("normalizer type ByteLevelish") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void aMissingFileIsReportedWithItsPath(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromFile(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void specialTokensInTheTextAreMatchedBeforeNormalizationAndTheFilesPaddingIsNotApplied() {
        Tokenizer tokenizer = Tokenizer.fromFile(SharedData.requireShared("models/sst2-minilm/tokenizer.json"));
        Encoding e = tokenizer.encode("Hi [SEP]");
        // [CLS] hi [SEP] [SEP]: the text's [SEP] is the special token (offsets 3-8), not "[", "sep", "]"
        assertEquals(4, e.length(), "no padding to the file's 128");
        assertEquals(List.of(101, tokenizer.tokenToId("hi"), 102, 102), java.util.Arrays.stream(e.ids()).boxed().toList());
        assertEquals(List.of(3, 8), List.of(e.offsets()[2][0], e.offsets()[2][1]));
        assertEquals(128, tokenizer.maxLength());
        assertEquals(0, tokenizer.padId());
    }
}
