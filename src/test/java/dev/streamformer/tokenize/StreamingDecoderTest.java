package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
