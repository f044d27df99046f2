package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamformer.tokenize.normalize.Lowercase;
import dev.streamformer.tokenize.normalize.Normalizer;
import dev.streamformer.tokenize.normalize.SequenceNormalizer;
import dev.streamformer.tokenize.normalize.StripAccents;
import dev.streamformer.tokenize.normalize.UnicodeNormalizer;
import dev.streamformer.tokenize.text.NormalizedString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Normalizers on the inputs of HF tokenizers' own tests (normalizers/strip.rs, normalizer.rs). */
class NormalizersTest {

    private static final Normalizer NFKD_STRIP_LOWER = new SequenceNormalizer(List.of(
            new UnicodeNormalizer(UnicodeNormalizer.Form.NFKD), StripAccents.INSTANCE, Lowercase.INSTANCE));

    private static NormalizedString normalize(Normalizer n, String text) {
        NormalizedString s = NormalizedString.of(text);
        n.normalize(s);
        return s;
    }

    @Test
    void stripAccentsAfterNfkdHandlesVietnameseAndThai() {
        // test_vietnamese_bug, test_thai_bug
        assertEquals("a...", normalize(NFKD_STRIP_LOWER, "ậ…").text());
        assertEquals("cu the, ban se tham gia mot nhom cac giam đoc",
                normalize(NFKD_STRIP_LOWER, "Cụ thể, bạn sẽ tham gia một nhóm các giám đốc").text());
        assertEquals("านา3ลา", normalize(NFKD_STRIP_LOWER, "ำน\u0e49ำ3ลำ").text());
    }

    @Test
    void removedMarksLeaveTheKeptCharactersAlignedToThemselves() {
        // test_strip_accents_multiple: "e" + 3 x U+0304 + "o" -> "eo" with alignments (0,1) and (4,5) in code points
        NormalizedString s = normalize(StripAccents.INSTANCE, "e\u0304\u0304\u0304o");
        assertEquals("eo", s.text());
        assertEquals(List.of(0, 1, 4, 5), List.of(s.start(0), s.end(0), s.start(1), s.end(1)));
    }

    @Test
    void nfdDecompositionAlignsEveryPartToItsSourceCharacter() {
        // normalizer.rs nfd_adds_new_chars: "élégant" -> "e\u0301le\u0301gant", the accents aligned with their letter
        NormalizedString s = normalize(new UnicodeNormalizer(UnicodeNormalizer.Form.NFD), "élégant");
        assertEquals("e\u0301le\u0301gant", s.text());
        assertEquals(List.of(0, 0, 1, 2, 2), List.of(s.start(0), s.start(1), s.start(2), s.start(3), s.start(4)));
    }

    @Test
    void nfcCompositionKeepsTheAlignmentOfTheFirstCharacter() {
        // HF's transform rule: a character "right before N removed chars" (change -N) keeps its own alignment, so
        // "e\u0301" composed to "é" is aligned with the "e" only
        NormalizedString s = normalize(new UnicodeNormalizer(UnicodeNormalizer.Form.NFC), "e\u0301t");
        assertEquals("ét", s.text());
        assertEquals(List.of(0, 1, 2, 3), List.of(s.start(0), s.end(0), s.start(1), s.end(1)));
    }
}
