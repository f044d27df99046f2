package dev.streamformer.tokenize.decode;

import java.util.List;

/** Applies decoders one after the other to the list of token strings. */
public record SequenceDecoder(List<Decoder> decoders) implements Decoder {

    public SequenceDecoder {
        decoders = List.copyOf(decoders);
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        for (Decoder d : decoders) {
            tokens = d.decodeChain(tokens);
        }
        return tokens;
    }
}
