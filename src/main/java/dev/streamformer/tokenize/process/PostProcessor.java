package dev.streamformer.tokenize.process;

import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.model.Token;
import java.util.List;

/**
 * Last stage: assembles the final encoding from the tokens of one text (or two), adding special tokens such as
 * {@code [CLS]} and {@code [SEP]} and setting the type ids. Tokens carry offsets into their original text.
 */
public interface PostProcessor {

    /** How many special tokens {@link #process} adds, so that truncation can leave room for them. */
    int addedTokens(boolean pair);

    /**
     * The encoding of {@code first} (and {@code second}, null for a single text). Without {@code addSpecialTokens}
     * only the segments are assembled (with their type ids), as HF does for {@code add_special_tokens=False}.
     */
    Encoding process(List<Token> first, List<Token> second, boolean truncated, boolean addSpecialTokens);

    /** Adjusts a segment's tokens before assembly (offset trimming); the identity unless overridden. */
    default List<Token> prepare(List<Token> segment) {
        return segment;
    }

    /** No special tokens: the segments one after the other, type ids 0 and 1. */
    PostProcessor NONE = new PostProcessor() {
        @Override
        public int addedTokens(boolean pair) { return 0; }

        @Override
        public Encoding process(List<Token> first, List<Token> second, boolean truncated, boolean addSpecialTokens) {
            EncodingBuilder b = new EncodingBuilder();
            b.addSegment(first, 0);
            if (second != null) {
                b.addSegment(second, 1);
            }
            return b.build(truncated);
        }
    };
}
