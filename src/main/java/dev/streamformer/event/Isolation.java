package dev.streamformer.event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a batch function so that one bad text cannot fail its neighbours: when the whole batch throws, it is split in
 * half and each half retried, down to single texts. A batch of n texts with one bad text costs about 2·log2(n) extra calls.
 */
public final class Isolation {

    private Isolation() {}

    /** The outcome for one text: a result, or the exception that text alone caused. */
    public record Outcome<R>(R result, RuntimeException error) {
        public boolean ok() { return error == null; }
    }

    public static <T, R> List<Outcome<R>> run(List<T> texts, Function<List<T>, List<R>> batchFunction) {
        List<Outcome<R>> out = new ArrayList<>(texts.size());
        runInto(texts, batchFunction, out);
        return out;
    }

    private static <T, R> void runInto(List<T> texts, Function<List<T>, List<R>> f, List<Outcome<R>> out) {
        if (texts.isEmpty()) return;
        try {
            List<R> results = f.apply(texts);
            if (results.size() != texts.size()) {
                throw new IllegalStateException("the task returned " + results.size() + " results for " + texts.size() + " texts");
            }
            for (R r : results) out.add(new Outcome<>(r, null));
        } catch (RuntimeException e) {
            if (texts.size() == 1) {
                out.add(new Outcome<>(null, e));
                return;
            }
            int half = texts.size() / 2;
            runInto(texts.subList(0, half), f, out);
            runInto(texts.subList(half, texts.size()), f, out);
        }
    }
}
