package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An XLM-R folder that ships only {@code sentencepiece.bpe.model} tokenizes as the same folder with the
 * {@code tokenizer.json} Hugging Face's converter wrote from that model: the reference ids are Hugging Face tokenizers'
 * (DJL) on that tokenizer.json, over the shared corpus.
 */
class SentencePieceModelTest {

    private static final Path FOLDER = SharedData.requireShared("models/tiny-xlmr");

    @Test
    void vocabularyIsLaidOutAsHuggingFacesConverterLaysItOut() throws IOException {
        Tokenizer fromModel = Tokenizer.fromFile(FOLDER.resolve("sentencepiece.bpe.model"));
        JsonNode vocab = new ObjectMapper().readTree(FOLDER.resolve("tokenizer.json").toFile()).path("model").path("vocab");
        assertEquals(8002, vocab.size(), "the converter's vocabulary: 4 fairseq specials, 7,997 pieces, <mask>");
        List<String> wrong = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            String token = vocab.get(id).get(0).asText();
            if (fromModel.tokenToId(token) != id) wrong.add(token + ": " + fromModel.tokenToId(token) + " instead of " + id);
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " tokens with another id, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
    }

    @Test
    void idsMatchHuggingFaceOnTheCorpus() {
        List<String> texts = WordPieceParityTest.everyNth(SharedData.allTexts(), 4);
        Tokenizer fromModel = Tokenizer.fromFile(FOLDER.resolve("sentencepiece.bpe.model"));
        ParityCheck withSpecials = new ParityCheck("XLM-R from sentencepiece.bpe.model, special tokens added");
        ParityCheck withoutSpecials = new ParityCheck("XLM-R from sentencepiece.bpe.model, no special tokens");
        try (HuggingFaceTokenizer reference = ParityCheck.reference(FOLDER.resolve("tokenizer.json"), ParityCheck.options(0))) {
            withSpecials.encodeAll(reference, fromModel, texts, true);
            withoutSpecials.encodeAll(reference, fromModel, texts, false);
        }
        for (ParityCheck check : List.of(withSpecials, withoutSpecials)) {
            System.out.println(check.summary());
            assertEquals(texts.size(), check.compared, check.label);
            assertTrue(check.allIdentical(), () -> check.summary() + "\n  " + String.join("\n  ", check.mismatches));
        }
    }

    @Test
    void aFolderWithoutTokenizerJsonReadsItsSentencePieceModel(@TempDir Path dir) throws IOException {
        Files.copy(FOLDER.resolve("sentencepiece.bpe.model"), dir.resolve("sentencepiece.bpe.model"));
        Tokenizer folder = Tokenizer.fromFile(dir);
        Tokenizer json = Tokenizer.fromFile(FOLDER.resolve("tokenizer.json"));
        String text = "Grüße aus Köln — ¿qué tal? 東京で会いましょう";
        assertEquals(List.of(json.encode(text).tokens()), List.of(folder.encode(text).tokens()));
        assertEquals(java.util.Arrays.toString(json.encode(text).ids()), java.util.Arrays.toString(folder.encode(text).ids()));
    }

    @Test
    void aFileThatIsNoSentencePieceModelIsRefusedInOneSentence(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("sentencepiece.bpe.model");
        Files.write(bad, new byte[]{0x0a, (byte) 0xff, 0x01});
        var e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromFile(bad));
        assertTrue(e.getMessage().startsWith("The SentencePiece model " + bad + " is not a valid ModelProto"), e.getMessage());
        assertTrue(e.getMessage().endsWith("give its tokenizer.json."), e.getMessage());
    }
}
