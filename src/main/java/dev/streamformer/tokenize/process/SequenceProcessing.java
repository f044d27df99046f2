package dev.streamformer.tokenize.process;

import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.model.Token;
import java.util.List;

/**
 * Post-processors one after the other, e.g. ByteLevel offset trimming then a template: every processor prepares the
 * segments in turn, and the last one assembles the encoding.
 */
public record SequenceProcessing(List<PostProcessor> processors) implements PostProcessor {

    public SequenceProcessing {
        processors = List.copyOf(processors);
        if (processors.isEmpty()) {
            throw new IllegalArgumentException("a Sequence post-processor needs at least one processor");
        }
    }

    @Override
    public int addedTokens(boolean pair) {
        return processors.stream().mapToInt(p -> p.addedTokens(pair)).sum();
    }

    @Override
    public List<Token> prepare(List<Token> segment) {
        for (PostProcessor p : processors) {
            segment = p.prepare(segment);
        }
        return segment;
    }

    @Override
    public Encoding process(List<Token> first, List<Token> second, boolean truncated, boolean addSpecialTokens) {
        return processors.getLast().process(first, second, truncated, addSpecialTokens);
    }
}
