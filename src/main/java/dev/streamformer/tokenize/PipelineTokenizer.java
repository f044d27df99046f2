package dev.streamformer.tokenize;

import dev.streamformer.tokenize.decode.Decoder;
import dev.streamformer.tokenize.model.Model;
import dev.streamformer.tokenize.model.Token;
import dev.streamformer.tokenize.normalize.Normalizer;
import dev.streamformer.tokenize.pretokenize.PreTokenizer;
import dev.streamformer.tokenize.process.PostProcessor;
import dev.streamformer.tokenize.text.NormalizedString;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tokenizer.json} pipeline: added tokens are cut out of the raw text, the rest is normalized,
 * pre-tokenized into words and tokenized by the model; the result is truncated and post-processed (special
 * tokens). Offsets are code points of the original text.
 *
 * <p>The file's {@code padding} block is not applied: padding a batch to a common length is the batcher's job.
 * Immutable; every encode works on its own objects, so one instance serves all threads.
 */
final class PipelineTokenizer implements Tokenizer {

    private final AddedTokens addedTokens;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Model model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final Truncation truncation;
    private final int padId;

    PipelineTokenizer(AddedTokens addedTokens, Normalizer normalizer, PreTokenizer preTokenizer, Model model,
                      PostProcessor postProcessor, Decoder decoder, Truncation truncation, int padId) {
        this.addedTokens = addedTokens;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor == null ? PostProcessor.NONE : postProcessor;
        this.decoder = decoder;
        this.truncation = truncation;
        this.padId = padId;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        List<Token> tokens = tokenize(text);
        boolean truncated = false;
        if (truncation != null) {
            int room = truncation.maxLength() - (addSpecialTokens ? postProcessor.addedTokens(false) : 0);
            List<Token> kept = truncation.truncate(tokens, room);
            truncated = kept.size() < tokens.size();
            tokens = kept;
        }
        return postProcessor.process(postProcessor.prepare(tokens), null, truncated, addSpecialTokens);
    }

    @Override
    public Encoding encodePair(String first, String second) {
        List<Token> a = tokenize(first);
        List<Token> b = tokenize(second);
        boolean truncated = false;
        if (truncation != null) {
            int[] keep = truncation.pairLengths(a.size(), b.size(),
                    truncation.maxLength() - postProcessor.addedTokens(true));
            truncated = keep[0] < a.size() || keep[1] < b.size();
            a = truncation.truncate(a, keep[0]);
            b = truncation.truncate(b, keep[1]);
        }
        return postProcessor.process(postProcessor.prepare(a), postProcessor.prepare(b), truncated, true);
    }

    /** The model's tokens for one text, before truncation and special tokens; offsets into the text. */
    List<Token> tokenize(String text) {
        int[] codePoints = text.codePoints().toArray();
        List<Token> tokens = new ArrayList<>();
        for (AddedTokens.Part part : addedTokens.split(codePoints)) {
            if (part.token() != null) {
                tokens.add(new Token(part.token().id(), part.token().content(), part.start(), part.end()));
                continue;
            }
            NormalizedString piece = NormalizedString.of(codePoints, part.start(), part.end());
            if (normalizer != null) {
                normalizer.normalize(piece);
            }
            List<NormalizedString> words = preTokenizer != null ? preTokenizer.split(piece) : List.of(piece);
            for (NormalizedString word : words) {
                if (word.isEmpty()) {
                    continue;
                }
                for (Token t : model.tokenize(word.codePoints())) {
                    int[] offsets = word.originalOffsets(t.start(), t.end());
                    tokens.add(new Token(t.id(), t.value(), offsets[0], offsets[1]));
                }
            }
        }
        return tokens;
    }

    /**
     * As HF decodes: each id becomes its added-token content or vocabulary token (unknown ids are dropped), special
     * tokens are left out when asked, and the decoder turns the token strings into text.
     */
    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedTokens.AddedToken added = addedTokens.byId(id);
            String token = added != null ? added.content() : model.idToToken(id);
            if (token != null && !(skipSpecialTokens && addedTokens.isSpecial(token))) {
                tokens.add(token);
            }
        }
        return decoder != null ? decoder.decode(tokens) : String.join(" ", tokens);
    }

    @Override
    public int padId() { return padId; }

    @Override
    public int maxLength() { return truncation == null ? 0 : truncation.maxLength(); }

    @Override
    public Tokenizer withMaxLength(int maxLength) {
        Truncation t = maxLength <= 0 ? null
                : truncation == null ? Truncation.longestFirst(maxLength) : truncation.withMaxLength(maxLength);
        return new PipelineTokenizer(addedTokens, normalizer, preTokenizer, model, postProcessor, decoder, t, padId);
    }

    @Override
    public int tokenToId(String token) {
        for (AddedTokens.AddedToken t : addedTokens.all()) {
            if (t.content().equals(token)) {
                return t.id();
            }
        }
        return model.tokenToId(token);
    }
}
