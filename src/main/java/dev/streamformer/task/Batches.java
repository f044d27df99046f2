package dev.streamformer.task;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.tokenize.Encoding;

import java.util.List;

/**
 * Runs encoded texts through a model in token-budget batches: the loop every encoder task shares. On an engine that
 * computes the padding, a batch of mixed lengths runs as several calls ({@link PaddingSplit}).
 */
final class Batches {

    private Batches() {}

    /** What to do with one model call's output: {@code group[g]} is the input index of batch row {@code g}. */
    interface Consumer {
        void accept(int[] group, TokenBatch batch, Engine.Output output);
    }

    static void run(LoadedModel model, TokenBudget budget, Encoding[] encodings, Consumer consumer) {
        int[] lengths = new int[encodings.length];
        for (int i = 0; i < encodings.length; i++) lengths[i] = encodings[i].length();
        for (int[] planned : budget.plan(lengths)) {
            List<int[]> calls = model.engine().computesPadding() ? PaddingSplit.split(planned, lengths) : List.of(planned);
            for (int[] group : calls) runOne(model, encodings, group, consumer);
        }
    }

    /** One model call on the texts {@code group} indexes. */
    private static void runOne(LoadedModel model, Encoding[] encodings, int[] group, Consumer consumer) {
        int[][] ids = new int[group.length][];
        int[][] types = new int[group.length][];
        for (int g = 0; g < group.length; g++) {
            ids[g] = encodings[group[g]].ids();
            types[g] = encodings[group[g]].typeIds();
        }
        TokenBatch batch = TokenBatch.pad(ids, types, model.tokenizer().padId());
        consumer.accept(group, batch, model.engine().run(batch));
    }
}
