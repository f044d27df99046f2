package dev.streamformer.tokenize.decode;

import java.util.List;

/** Joins all tokens into one string (so that later decoders see the whole text). */
public final class FuseDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(String.join("", tokens));
    }
}
