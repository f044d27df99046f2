package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming text with the real byte-level BPE of newsgpt-mini (Hugging Face tokenizers, and ours). */
class TextStreamTest {

    static final DjlTokenizer TOKENIZER = DjlTokenizer.forModel(Reference.model("newsgpt-mini"));

    static List<Tokenizer> tokenizers() {
        return List.of(TOKENIZER, Tokenizer.fromFile(Reference.model("newsgpt-mini").resolve("tokenizer.json")));
    }

    @ParameterizedTest
    @MethodSource("tokenizers")
    void neverReleasesHalfACharacter(Tokenizer tokenizer) {
        String text = "Prices rose 5 % in Zürich — naïve café 😀 and 東京.";
        int[] ids = tokenizer.encode(text).ids();
        assertTrue(ids.length > text.codePointCount(0, text.length()) / 2);
        TextStream stream = new TextStream(tokenizer::decode, List.of());
        List<String> pieces = new ArrayList<>();
        int heldBack = 0;
        for (int id : ids) {
            String piece = stream.add(id);
            if (piece.isEmpty()) heldBack++;
            assertFalse(piece.contains("\uFFFD"), "released a broken character: " + piece);
            if (!piece.isEmpty()) assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
            pieces.add(piece);
        }
        pieces.add(stream.finish());
        assertEquals(text, String.join("", pieces));
        assertTrue(heldBack > 0, "some token should end inside a multi-byte character");
    }

    @Test
    void holdsBackAPossibleStopStringAndCutsAtIt() {
        int[] ids = TOKENIZER.encode("The bank said on Monday. It added more.").ids();
        TextStream stream = new TextStream(TOKENIZER::decode, List.of("Monday."));
        StringBuilder shown = new StringBuilder();
        for (int id : ids) {
            shown.append(stream.add(id));
            assertFalse(shown.toString().contains("Mon"), "showed text that became a stop string: " + shown);
            if (stream.stopped()) break;
        }
        assertTrue(stream.stopped());
        assertEquals("The bank said on ", stream.text());
        assertEquals("The bank said on ", shown.toString());
    }
}
