package dev.streamformer.tokenize.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * SentencePiece tokens back to text: {@code ▁} becomes a space, except in the first token, where it is dropped when
 * the pre-tokenizer prepended one ({@code prepend_scheme} not never).
 */
public record MetaspaceDecoder(int replacement, boolean prepended) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            StringBuilder b = new StringBuilder();
            boolean first = i == 0;
            tokens.get(i).codePoints().forEach(c -> {
                if (c != replacement) {
                    b.appendCodePoint(c);
                } else if (!(first && prepended)) {
                    b.append(' ');
                }
            });
            out.add(b.toString());
        }
        return out;
    }
}
