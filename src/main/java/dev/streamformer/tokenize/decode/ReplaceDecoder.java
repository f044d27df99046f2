package dev.streamformer.tokenize.decode;

import java.util.List;

/** Replaces a literal string in every token (e.g. {@code ▁} by a space). */
public record ReplaceDecoder(String pattern, String content) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        return tokens.stream().map(t -> t.replace(pattern, content)).toList();
    }
}
