package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;

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

    /**
     * Streamed pieces join to exactly the one-shot decode (ours, which the parity test holds to Hugging Face's), for
     * byte-level BPE (GPT-2, Llama 3, Qwen3), SentencePiece BPE with byte fallback (Llama 2, Gemma 3) and Unigram
     * (T5), on 300 lines of the multilingual torture corpus: accents, CJK, emoji, right-to-left scripts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"models/newsgpt-mini", "models/tiny-llama3", "models/tiny-qwen3", "tokenizers/llama2",
            "tokenizers/gemma3", "models/t5-mini"})
    void streamedPiecesJoinToTheOneShotDecode(String folder) throws Exception {
        Tokenizer tokenizer = Tokenizer.fromFile(Reference.SHARED.resolve(folder).resolve("tokenizer.json"));
        List<String> lines = Files.readAllLines(Reference.SHARED.resolve("data/multilingual/torture.txt"));
        int checked = 0, heldBack = 0, longest = 0;
        int[] widestWindow = {0};
        TokenDecoder decoder = window -> {
            widestWindow[0] = Math.max(widestWindow[0], window.length);
            return tokenizer.decode(window);
        };
        for (int i = 0; i < lines.size() && checked < 300; i += Math.max(1, lines.size() / 300)) {
            int[] ids = tokenizer.encode(lines.get(i), false).ids();
            longest = Math.max(longest, ids.length);
            TextStream stream = new TextStream(decoder, List.of());
            StringBuilder shown = new StringBuilder();
            for (int id : ids) {
                String piece = stream.add(id);
                if (piece.isEmpty()) heldBack++;
                shown.append(piece);
            }
            shown.append(stream.finish());
            assertEquals(tokenizer.decode(ids), shown.toString(), folder + ", line " + i);
            checked++;
        }
        assertEquals(300, checked);
        assertTrue(heldBack > 0, "some token should end inside a character");
        // linear, not quadratic: each step decodes a few tokens, never the whole text again
        assertTrue(widestWindow[0] <= 12 && longest > 40, "widest decoded window " + widestWindow[0] + " of lines up to " + longest + " tokens");
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
