package dev.streamformer.task.generate;

/** Receives generated text as it becomes safe to show: whole characters, never part of a stop string. */
@FunctionalInterface
public interface StreamListener {

    /** More text for prompt number {@code index} of the batch. */
    void onText(int index, String piece);
}
