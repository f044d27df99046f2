package dev.streamformer.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a task on one batch of texts and gives each text its own outcome. Failures are isolated by
 * {@link Isolation} (a batch that throws is bisected until the bad text fails alone), so one bad text fails alone,
 * never its batch-mates; and a result with a non-finite number (NaN, ±Infinity) fails only its own text.
 *
 * <p>Cost: a batch of n texts with one bad text takes about 2·log2(n)+1 model calls on shrinking halves, i.e. at
 * most (log2(n)+1) times the work of the batch itself (each level of the bisection touches each text once).
 */
public final class BatchInference {

    /** What happened to one text. */
    public sealed interface Outcome {
        /** The fields the task returned for this text. */
        record Enriched(ObjectNode fields) implements Outcome {}

        /** The task failed on this text alone ({@code reason}: {@code model-failure} or {@code non-finite-output}). */
        record Failed(String reason, RuntimeException error) implements Outcome {}
    }

    /** The reason given for a text the task could not {@linkplain Task#prepare prepare} (tokenize). */
    public static final String TOKENIZER_FAILURE = "tokenizer-failure";

    /** Outcomes in input order, and how many times the task was called. */
    public record Result(List<Outcome> outcomes, int modelCalls) {}

    private BatchInference() {}

    /** Runs the task on texts it has {@linkplain Task#prepare prepared} (tokenized once). */
    public static Result run(Task task, List<PreparedText> inputs) {
        return run(task.modelId(), task::runPrepared, inputs);
    }

    /**
     * @param modelId named in the message of a non-finite result (null: no model, e.g. the tokenizer alone)
     * @param batch   the task's batch function: one result per input, in order
     */
    public static <T> Result run(String modelId, Function<List<T>, List<ObjectNode>> batch, List<T> texts) {
        var calls = new AtomicInteger();
        List<Isolation.Outcome<ObjectNode>> isolated = Isolation.run(texts, part -> {
            calls.incrementAndGet();
            return batch.apply(part);
        });
        var outcomes = new ArrayList<Outcome>(isolated.size());
        for (Isolation.Outcome<ObjectNode> o : isolated) {
            outcomes.add(o.ok() ? check(modelId, o.result()) : new Outcome.Failed("model-failure", o.error()));
        }
        return new Result(outcomes, calls.get());
    }

    private static Outcome check(String modelId, ObjectNode fields) {
        if (fields == null) {
            return new Outcome.Failed("model-failure", new IllegalStateException("The task returned no result for this text."));
        }
        if (hasNonFinite(fields)) {
            return new Outcome.Failed("non-finite-output", new ArithmeticException((modelId == null ? "The task" : "Model " + modelId)
                    + " produced a non-finite number (NaN or Infinity) for this text."));
        }
        return new Outcome.Enriched(fields);
    }

    private static boolean hasNonFinite(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return !Double.isFinite(node.doubleValue());
        }
        for (JsonNode child : node) {   // elements of an array, values of an object; nothing for a scalar
            if (hasNonFinite(child)) {
                return true;
            }
        }
        return false;
    }
}
