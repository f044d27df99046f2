package dev.streamformer.task.generate;

/** Why a generation ended, as written into {@code finish_reason}. */
public enum FinishReason {
    /** The model produced its end-of-sequence token, or the text reached a stop string. */
    STOP,
    /** Max new tokens, the model's longest sequence, or the time budget was reached. */
    LENGTH;

    /** {@code stop} or {@code length}. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
