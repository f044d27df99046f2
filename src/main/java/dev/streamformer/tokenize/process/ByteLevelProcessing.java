package dev.streamformer.tokenize.process;

import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.model.Token;
import dev.streamformer.tokenize.text.ByteLevelAlphabet;
import dev.streamformer.tokenize.text.UnicodeChars;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's post-processor: adds no special tokens; with {@code trim_offsets} it narrows each token's offsets so they
 * do not cover the leading or trailing spaces ("Ġ") of the token.
 */
public record ByteLevelProcessing(boolean trimOffsets, boolean addPrefixSpace) implements PostProcessor {

    private static final int SPACE = ByteLevelAlphabet.charOf(' ');

    @Override
    public int addedTokens(boolean pair) { return 0; }

    @Override
    public List<Token> prepare(List<Token> segment) {
        if (!trimOffsets) {
            return segment;
        }
        List<Token> out = new ArrayList<>(segment.size());
        for (int i = 0; i < segment.size(); i++) {
            Token t = segment.get(i);
            int[] cps = t.value().codePoints().toArray();
            int leading = 0;
            while (leading < cps.length && isSpace(cps[leading])) {
                leading++;
            }
            int trailing = 0;
            while (trailing < cps.length && isSpace(cps[cps.length - 1 - trailing])) {
                trailing++;
            }
            int start = t.start();
            int end = t.end();
            if (leading > 0) {
                boolean first = i == 0 || start == 0;
                if (first && addPrefixSpace && leading == 1) {
                    leading = 0;
                }
                start = Math.min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) {
                end = Math.max(end - trailing, start);
            }
            out.add(new Token(t.id(), t.value(), start, end));
        }
        return out;
    }

    private static boolean isSpace(int c) {
        return c == SPACE || UnicodeChars.isWhitespace(c);
    }

    @Override
    public Encoding process(List<Token> first, List<Token> second, boolean truncated, boolean addSpecialTokens) {
        return PostProcessor.NONE.process(first, second, truncated, addSpecialTokens);
    }
}
