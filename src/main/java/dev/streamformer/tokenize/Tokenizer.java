package dev.streamformer.tokenize;

import java.nio.file.Path;

/**
 * A text tokenizer read from a Hugging Face {@code tokenizer.json}. Immutable and thread-safe.
 */
public interface Tokenizer {

    /** Tokenizes one text, adding the model's special tokens, truncating to {@link #maxLength()} when set. */
    default Encoding encode(String text) {
        return encode(text, true);
    }

    /**
     * Tokenizes one text, with the post-processor's special tokens only when {@code addSpecialTokens} (Hugging Face's
     * {@code add_special_tokens}). Without them for text that already spells its special tokens out, such as a
     * rendered chat template; special tokens written in the text are recognized either way.
     */
    Encoding encode(String text, boolean addSpecialTokens);

    /** Tokenizes a pair of texts (e.g. query and passage) as the post-processor says. */
    Encoding encodePair(String first, String second);

    /** Turns ids back into text, skipping special tokens. */
    default String decode(int[] ids) {
        return decode(ids, true);
    }

    /** Turns ids back into text; special tokens ({@code <s>}, {@code <|eot_id|>}, ...) are left out when asked. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** Id of the padding token (0 when the tokenizer defines none). */
    int padId();

    /** Maximum number of tokens after post-processing, or 0 for none. */
    int maxLength();

    /** A copy of this tokenizer that truncates to {@code maxLength} tokens (0: no truncation). */
    Tokenizer withMaxLength(int maxLength);

    /** Id of a token string, or -1 when it is not in the vocabulary. */
    int tokenToId(String token);

    /**
     * Reads a Hugging Face {@code tokenizer.json} (or the one in a model directory). Fails at load, naming the
     * component, when the file uses a normalizer, pre-tokenizer, model, post-processor or decoder we do not implement.
     * The file's {@code truncation} sets {@link #maxLength()}; its {@code padding} is not applied (padding a batch is
     * the batcher's job).
     */
    static Tokenizer fromFile(Path tokenizerJson) {
        return TokenizerJsonReader.read(tokenizerJson);
    }

    /**
     * The tokenizer a GGUF file carries in its metadata ({@code tokenizer.ggml.*}, as {@code GgufFile.metadata()}
     * gives it), built as the {@code tokenizer.json} it was converted from ({@link GgufVocabulary}).
     */
    static Tokenizer fromGguf(java.util.Map<String, ?> metadata, Path file) {
        return TokenizerJsonReader.read(GgufVocabulary.tokenizerJson(metadata, file), file);
    }
}
