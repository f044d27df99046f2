package dev.streamformer.tokenize.process;

import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.model.Token;
import java.util.List;
import java.util.Map;

/**
 * Special tokens placed by a template, e.g. single {@code [CLS] $A [SEP]}, pair {@code [CLS] $A [SEP] $B:1 [SEP]:1}.
 * A special-token name may stand for several ids.
 */
public record TemplateProcessing(List<Piece> single, List<Piece> pair, Map<String, SpecialToken> specialTokens)
        implements PostProcessor {

    /** One template item: a special token (by name) or sequence A or B, with its type id. */
    public record Piece(boolean isSequence, String name, int typeId) {}

    /** What a special-token name expands to. */
    public record SpecialToken(int[] ids, String[] tokens) {}

    public TemplateProcessing {
        single = List.copyOf(single);
        pair = List.copyOf(pair);
        specialTokens = Map.copyOf(specialTokens);
        for (List<Piece> template : List.of(single, pair)) {
            for (Piece p : template) {
                if (!p.isSequence() && !specialTokens.containsKey(p.name())) {
                    throw new IllegalArgumentException("the template uses special token " + p.name()
                            + " but special_tokens does not define it");
                }
            }
        }
    }

    /** BERT's template: {@code cls A sep}, pair {@code cls A sep B:1 sep:1}. */
    public static TemplateProcessing bert(String sep, int sepId, String cls, int clsId) {
        return new TemplateProcessing(
                List.of(new Piece(false, cls, 0), new Piece(true, "A", 0), new Piece(false, sep, 0)),
                List.of(new Piece(false, cls, 0), new Piece(true, "A", 0), new Piece(false, sep, 0),
                        new Piece(true, "B", 1), new Piece(false, sep, 1)),
                clsAndSep(sep, sepId, cls, clsId));
    }

    /** RoBERTa's template: {@code cls A sep}, pair {@code cls A sep sep B sep}, every type id 0. */
    public static TemplateProcessing roberta(String sep, int sepId, String cls, int clsId) {
        return new TemplateProcessing(
                List.of(new Piece(false, cls, 0), new Piece(true, "A", 0), new Piece(false, sep, 0)),
                List.of(new Piece(false, cls, 0), new Piece(true, "A", 0), new Piece(false, sep, 0),
                        new Piece(false, sep, 0), new Piece(true, "B", 0), new Piece(false, sep, 0)),
                clsAndSep(sep, sepId, cls, clsId));
    }

    private static Map<String, SpecialToken> clsAndSep(String sep, int sepId, String cls, int clsId) {
        Map<String, SpecialToken> tokens = new java.util.HashMap<>();
        tokens.put(cls, new SpecialToken(new int[] {clsId}, new String[] {cls}));
        tokens.put(sep, new SpecialToken(new int[] {sepId}, new String[] {sep}));
        return tokens;
    }

    @Override
    public int addedTokens(boolean isPair) {
        int n = 0;
        for (Piece p : isPair ? pair : single) {
            if (!p.isSequence()) {
                n += specialTokens.get(p.name()).ids().length;
            }
        }
        return n;
    }

    @Override
    public Encoding process(List<Token> first, List<Token> second, boolean truncated, boolean addSpecialTokens) {
        EncodingBuilder b = new EncodingBuilder();
        for (Piece p : second == null ? single : pair) {
            if (p.isSequence()) {
                b.addSegment(p.name().equals("A") ? first : second, p.typeId());
            } else if (addSpecialTokens) {
                SpecialToken s = specialTokens.get(p.name());
                for (int i = 0; i < s.ids().length; i++) {
                    b.addSpecial(s.ids()[i], s.tokens()[i], p.typeId());
                }
            }
        }
        return b.build(truncated);
    }
}
