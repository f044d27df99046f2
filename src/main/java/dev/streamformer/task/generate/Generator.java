package dev.streamformer.task.generate;

import dev.streamformer.engine.DecoderState;
import dev.streamformer.engine.LanguageModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates continuations for a batch of prompts of different lengths at once.
 *
 * <p>Prefill feeds every prompt token of every sequence as rows of as few forward passes as the state allows;
 * then each step feeds one row per unfinished sequence, all in a single forward pass, so the weights are read
 * once per step for the whole batch. Finished sequences simply stop contributing rows. Thread-safe: each call
 * makes its own {@link DecoderState}.
 */
public final class Generator {

    private final LanguageModel model;
    private final int[] eosIds;       // read once: checked for every generated token
    private final TokenDecoder decoder;
    private final boolean logprobs;

    /** @param decoder turns ids into text; null generates ids only (then stop strings cannot be used) */
    public Generator(LanguageModel model, TokenDecoder decoder) {
        this(model, decoder, false);
    }

    private Generator(LanguageModel model, TokenDecoder decoder, boolean logprobs) {
        this.model = model;
        this.eosIds = model.eosIds();
        this.decoder = decoder;
        this.logprobs = logprobs;
    }

    /** The same generator, also recording each generated token's log-probability ({@link Generation#logprobs()}). */
    public Generator withLogprobs() {
        return new Generator(model, decoder, true);
    }

    public LanguageModel model() {
        return model;
    }

    /** What one batch produced, and how long its two phases took. */
    public record BatchResult(List<Generation> generations, long prefillNanos, long decodeNanos) {}

    /** Generates for each prompt (token ids, special tokens already added); results in prompt order. */
    public List<Generation> generate(List<int[]> prompts, GenerationConfig config, StreamListener listener) {
        return run(prompts, config, listener).generations();
    }

    /** As {@link #generate}, also timing prefill (encoder and prompt tokens) and decoding (new tokens). */
    public BatchResult run(List<int[]> prompts, GenerationConfig config, StreamListener listener) {
        if (decoder == null && (!config.stopStrings().isEmpty() || listener != null)) {
            throw new IllegalArgumentException("stop strings and streaming need a tokenizer to turn tokens into text.");
        }
        int b = prompts.size();
        if (b == 0) return new BatchResult(List.of(), 0, 0);
        long started = System.nanoTime();
        Sequence[] seqs = new Sequence[b];
        int maxLength = 0;
        for (int i = 0; i < b; i++) {
            int[] prompt = prompts.get(i);
            if (prompt.length == 0 && !model.encoderDecoder()) {
                // a decoder-only model needs something to condition on: start from its end-of-text token, as GPT-2 was trained
                prompt = new int[] {eosIds.length > 0 ? eosIds[0] : 0};
            }
            int prefix = model.encoderDecoder() ? 1 : prompt.length;
            if (prefix >= model.maxPositions()) {
                throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens leaves no room to generate: "
                        + "the model attends to at most " + model.maxPositions() + " positions; shorten the prompt.");
            }
            seqs[i] = new Sequence(i, prompt, config, decoder, logprobs);
            maxLength = Math.max(maxLength, (int) Math.min(model.maxPositions(), (long) prefix + config.maxNewTokens()));
        }
        long deadline = config.timeBudget() == null || config.timeBudget().isZero() ? Long.MAX_VALUE
                : System.nanoTime() + config.timeBudget().toNanos();
        DecoderState state = model.newState(b, maxLength);
        Step step = new Step(state.maxRows(), b, model.vocabSize());
        Sampler sampler = new Sampler(config, model.vocabSize());

        // start every sequence (an encoder-decoder model encodes the prompt here) and prefill the decoder
        for (Sequence s : seqs) s.context(state.start(s.index, s.prompt));
        for (Sequence s : seqs) {
            for (int p = 0; p < s.length; p++) {
                if (step.full()) step.run(state);
                step.add(s, p, s.context[p], p == s.length - 1);
            }
        }
        step.run(state);
        long prefilled = System.nanoTime();

        // decode: pick a token for every unfinished sequence, then feed them all in one forward
        List<Sequence> active = new ArrayList<>(Arrays.asList(seqs));
        while (!active.isEmpty()) {
            for (Sequence s : active) {
                int off = s.index * model.vocabSize();
                int token = sampler.next(step.logits, off, s.context, s.length, s.random);
                if (s.logprobs != null) s.logprobs[s.generated()] = (float) Perplexity.logSoftmax(step.logits, off, model.vocabSize(), token);
                s.accept(token, eosIds, maxLength, listener);
            }
            active.removeIf(s -> s.finish != null);
            if (System.nanoTime() > deadline) {
                for (Sequence s : active) s.end(FinishReason.LENGTH, listener);
                active.clear();
            }
            for (Sequence s : active) {
                if (step.full()) step.run(state); // only when more sequences than maxRows are in flight
                step.add(s, s.length - 1, s.context[s.length - 1], true);
            }
            step.run(state);
        }
        long decoded = System.nanoTime();
        List<Generation> out = new ArrayList<>(b);
        for (Sequence s : seqs) out.add(s.result());
        return new BatchResult(out, prefilled - started, decoded - prefilled);
    }

    /** Rows gathered for one forward pass, and the logits it produced. */
    private static final class Step {
        final int[] slots, positions, tokens, logitRows;
        final Sequence[] owners;   // the sequence whose next token each logit row predicts
        final float[] logits;      // [sequences, vocab] each sequence's latest logits, at its index
        final float[] out;         // [sequences, vocab] one forward's logits
        final int vocab;
        int n, nLogits;

        Step(int maxRows, int sequences, int vocab) {
            slots = new int[maxRows];
            positions = new int[maxRows];
            tokens = new int[maxRows];
            logitRows = new int[maxRows];
            owners = new Sequence[maxRows];
            logits = new float[sequences * vocab];
            out = new float[Math.min(maxRows, sequences) * vocab];
            this.vocab = vocab;
        }

        boolean full() {
            return n == slots.length;
        }

        void add(Sequence s, int position, int token, boolean wantLogits) {
            slots[n] = s.index;
            positions[n] = position;
            tokens[n] = token;
            if (wantLogits) {
                owners[nLogits] = s;
                logitRows[nLogits++] = n;
            }
            n++;
        }

        void run(DecoderState state) {
            if (n == 0) return;
            state.forward(n, slots, positions, tokens, logitRows, nLogits, out);
            for (int i = 0; i < nLogits; i++) {
                System.arraycopy(out, i * vocab, logits, owners[i].index * vocab, vocab);
            }
            n = 0;
            nLogits = 0;
        }
    }

    /** One prompt in flight: the decoder's tokens so far, its random generator, its text. */
    private static final class Sequence {
        final int index;
        final int[] prompt;
        final GenerationConfig config;
        final SplittableRandom random;
        final TextStream text;
        final TokenDecoder decoder;
        final float[] logprobs;  // [maxNewTokens] of the generated tokens, or null when not asked for
        int[] context;       // decoder tokens: prefix (prompt, or the start token) then generated
        int length;          // tokens in context
        int prefixLength;
        FinishReason finish;

        Sequence(int index, int[] prompt, GenerationConfig config, TokenDecoder decoder, boolean logprobs) {
            this.index = index;
            this.logprobs = logprobs ? new float[config.maxNewTokens()] : null;
            this.prompt = prompt;
            this.config = config;
            this.random = new SplittableRandom(config.seed());
            this.decoder = decoder;
            this.text = decoder == null ? null : new TextStream(decoder, config.stopStrings());
        }

        void context(int[] prefix) {
            context = Arrays.copyOf(prefix, prefix.length + config.maxNewTokens());
            length = prefix.length;
            prefixLength = prefix.length;
        }

        int generated() {
            return length - prefixLength;
        }

        void accept(int token, int[] eosIds, int maxLength, StreamListener listener) {
            context[length++] = token;
            if (config.stopAtEos() && contains(eosIds, token)) {
                end(FinishReason.STOP, listener);
                return;
            }
            if (listener != null || !config.stopStrings().isEmpty()) {
                String piece = text.add(token);
                if (listener != null && !piece.isEmpty()) listener.onText(index, piece);
                if (text.stopped()) {
                    finish = FinishReason.STOP;
                    return;
                }
            }
            if (generated() == config.maxNewTokens() || length == maxLength) end(FinishReason.LENGTH, listener);
        }

        void end(FinishReason reason, StreamListener listener) {
            finish = reason;
            if (listener != null) {
                String rest = text.finish();
                if (!rest.isEmpty()) listener.onText(index, rest);
            }
        }

        Generation result() {
            int[] tokens = Arrays.copyOfRange(context, prefixLength, length);
            String out = null;
            if (text != null && text.stopped()) {
                out = text.text();
            } else if (decoder != null) {
                boolean eos = finish == FinishReason.STOP; // then the last token is EOS: leave it out of the text
                out = decoder.decode(eos ? Arrays.copyOf(tokens, tokens.length - 1) : tokens);
            }
            return new Generation(out, tokens, finish, prompt.length,
                    logprobs == null ? null : Arrays.copyOf(logprobs, tokens.length));
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }
}
