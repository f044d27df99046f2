package dev.streamformer.task;

/**
 * An event a task cannot turn into model input, with a short machine-readable {@link #reason()} (e.g.
 * {@code chat-template}) for dead-letter headers and a sentence for people in {@link #getMessage()}.
 */
public final class InvalidInputException extends RuntimeException {

    private final String reason;

    public InvalidInputException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
