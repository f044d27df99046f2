package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Streaming decoding: pieces emitted one id at a time add up to the full decode (itself checked against HF in the
 * parity tests), and no piece holds half a character.
 */
class StreamingDecoderTest {

    private static void streamsLikeTheFullDecode(Tokenizer tokenizer, List<String> texts) {
        int multiByteSplits = 0;
        for (String text : texts) {
            int[] ids = tokenizer.encode(text).ids();
            StreamingDecoder stream = new StreamingDecoder(tokenizer);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                String piece = stream.next(id);
                assertFalse(piece.contains("\uFFFD"), () -> "half a character emitted for " + text);
                assertFalse(!piece.isEmpty() && Character.isLowSurrogate(piece.charAt(0)), "split surrogate pair");
                if (piece.isEmpty()) {
                    multiByteSplits++;
                }
                out.append(piece);
            }
            out.append(stream.finish());
            assertEquals(tokenizer.decode(ids), out.toString(), text);
        }
        assertTrue(multiByteSplits > 0, "the sample should hold characters spread over several tokens");
    }

    @Test
    void byteLevelBpeStreamsWholeCharactersOnly() {
        List<String> torture = SharedData.linesOnNewline(SharedData.requireShared("data/multilingual/torture.txt"));
        streamsLikeTheFullDecode(Tokenizer.fromFile(SharedData.requireShared("models/newsgpt-mini/tokenizer.json")),
                WordPieceParityTest.everyNth(torture, 50));
    }

    /**
     * Every LLM and SentencePiece tokenizer in ../shared: byte-fallback tokens ({@code <0xE4>}) and byte-level pieces
     * hold back until their character is complete, and the pieces add up to the full decode (itself checked against
     * HF in {@link LlmTokenizersParityTest}), special tokens skipped.
     */
    @Test
    void llmTokenizersStreamWholeCharactersOnly() {
        List<String> texts = WordPieceParityTest.everyNth(
                SharedData.linesOnNewline(SharedData.requireShared("data/multilingual/torture.txt")), 10);
        // file -> whether its vocabulary has pieces that hold part of a character (byte fallback, byte-level BPE)
        Map<String, Boolean> files = new LinkedHashMap<>();
        files.put("models/tiny-llama3/tokenizer.json", true);
        files.put("models/tiny-qwen3/tokenizer.json", true);
        files.put("tokenizers/gemma3/tokenizer.json", true);
        files.put("tokenizers/llama2/tokenizer.json", true);
        files.put("models/tiny-xlmr/tokenizer.json", false);
        files.put("models/t5-mini/tokenizer.json", false);
        files.forEach((file, hasPartialCharacters) -> {
            Tokenizer tokenizer = Tokenizer.fromFile(SharedData.requireShared(file));
            int streamed = 0;
            int partialCharacters = 0;
            for (String text : texts) {
                int[] ids = tokenizer.encode(text).ids();
                StreamingDecoder stream = new StreamingDecoder(tokenizer);
                StringBuilder out = new StringBuilder();
                for (int id : ids) {
                    String piece = stream.next(id);
                    assertFalse(!piece.isEmpty() && (Character.isLowSurrogate(piece.charAt(0))
                            || Character.isHighSurrogate(piece.charAt(piece.length() - 1))), "split surrogate pair");
                    out.append(piece);
                    if (tokenizer.decode(new int[] {id}).contains("\uFFFD")) {
                        partialCharacters++;
                    }
                }
                out.append(stream.finish());
                assertEquals(tokenizer.decode(ids), out.toString(), () -> file + ": " + text);
                streamed++;
            }
            System.out.printf("%s: %,d texts streamed, %,d ids held part of a character%n", file, streamed,
                    partialCharacters);
            assertEquals(texts.size(), streamed);
            assertTrue(streamed > 2_000, "the torture text sample is complete");
            if (hasPartialCharacters) {
                assertTrue(partialCharacters > 0, file + ": the sample should hold characters spread over tokens");
            }
        });
    }

    @Test
    void metaspaceStreamsWithTheSpacingOfTheFullDecode() {
        List<String> texts = SharedData.linesOnNewline(SharedData.requireShared("data/generation/prompts.txt"));
        Tokenizer t5 = Tokenizer.fromFile(SharedData.requireShared("models/t5-mini/tokenizer.json"));
        for (String text : WordPieceParityTest.everyNth(texts, 5)) {
            int[] ids = t5.encode(text).ids();
            StreamingDecoder stream = new StreamingDecoder(t5);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                out.append(stream.next(id));
            }
            out.append(stream.finish());
            assertEquals(t5.decode(ids), out.toString());
        }
    }
}
