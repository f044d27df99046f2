package dev.streamformer.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a task on one batch of texts and isolates failures: when the task throws for the whole batch, the batch
 * is bisected (halves, then quarters, ...) until every text either has its result or is known to fail alone.
 * So one bad text sends one record to the dead-letter topic, never its batch-mates.
 *
 * <p>Cost: a batch of n texts with one bad text takes about 2·log2(n)+1 model calls on shrinking halves, i.e. at
 * most (log2(n)+1) times the work of the batch itself (each level of the bisection touches each text at most
 * once). A result with a non-finite number (NaN, ±Infinity) fails only its own text.
 */
final class BatchInference {

    /** What happened to one text. */
    sealed interface Outcome {
        /** The fields the task returned for this text. */
        record Enriched(ObjectNode fields) implements Outcome {}

        /** The task failed on this text alone ({@code reason}: {@code model-failure} or {@code non-finite-output}). */
        record Failed(String reason, RuntimeException error) implements Outcome {}
    }

    /** Outcomes in input order, and how many times the task was called. */
    record Result(List<Outcome> outcomes, int modelCalls) {}

    private final Task task;
    private int modelCalls;

    private BatchInference(Task task) {
        this.task = task;
    }

    static Result run(Task task, List<String> texts) {
        var inference = new BatchInference(task);
        var outcomes = new Outcome[texts.size()];
        inference.runRange(texts, 0, texts.size(), outcomes);
        return new Result(Arrays.asList(outcomes), inference.modelCalls);
    }

    /** Fills {@code outcomes[from, to)}. */
    private void runRange(List<String> texts, int from, int to, Outcome[] outcomes) {
        List<ObjectNode> results;
        try {
            modelCalls++;
            results = task.run(texts.subList(from, to));
            if (results == null || results.size() != to - from) {
                throw new IllegalStateException("Task " + task.name() + " returned " + (results == null ? "null" : results.size())
                        + " results for " + (to - from) + " texts.");
            }
        } catch (RuntimeException e) {
            if (to - from == 1) {
                outcomes[from] = new Outcome.Failed("model-failure", e);
                return;
            }
            int middle = (from + to) >>> 1;
            runRange(texts, from, middle, outcomes);
            runRange(texts, middle, to, outcomes);
            return;
        }
        for (int i = from; i < to; i++) {
            outcomes[i] = check(results.get(i - from));
        }
    }

    private Outcome check(ObjectNode fields) {
        if (fields == null) {
            return new Outcome.Failed("model-failure", new IllegalStateException("Task " + task.name() + " returned no result for this text."));
        }
        if (hasNonFinite(fields)) {
            return new Outcome.Failed("non-finite-output", new ArithmeticException(
                    "Model " + task.modelId() + " produced a non-finite number (NaN or Infinity) for this text."));
        }
        return new Outcome.Enriched(fields);
    }

    private static boolean hasNonFinite(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            double v = node.doubleValue();
            return Double.isNaN(v) || Double.isInfinite(v);
        }
        if (node.isContainerNode()) {
            List<JsonNode> children = new ArrayList<>();
            node.elements().forEachRemaining(children::add);
            for (JsonNode child : children) {
                if (hasNonFinite(child)) {
                    return true;
                }
            }
        }
        return false;
    }
}
