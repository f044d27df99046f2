package dev.streamformer.event;

/**
 * An input event that cannot be enriched, with a short machine-readable {@link #reason()} (e.g.
 * {@code malformed-json}) for the dead-letter headers and a sentence for people in {@link #getMessage()}.
 */
public final class InvalidEventException extends RuntimeException {

    private final String reason;

    public InvalidEventException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public InvalidEventException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@code malformed-json}, {@code invalid-utf8}, {@code not-an-object}, {@code missing-text}, ... */
    public String reason() {
        return reason;
    }
}
