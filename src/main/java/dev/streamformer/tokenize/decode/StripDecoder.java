package dev.streamformer.tokenize.decode;

import java.util.ArrayList;
import java.util.List;

/** Removes up to {@code start} leading and {@code stop} trailing occurrences of a character from every token. */
public record StripDecoder(int content, int start, int stop) implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            int[] cps = token.codePoints().toArray();
            int from = 0;
            while (from < start && from < cps.length && cps[from] == content) {
                from++;
            }
            int to = cps.length;
            while (cps.length - to < stop && to > from && cps[to - 1] == content) {
                to--;
            }
            out.add(new String(cps, from, to - from));
        }
        return out;
    }
}
