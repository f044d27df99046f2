package dev.streamformer.event;

/**
 * A value format cannot read or write a record <em>for now</em> (e.g. its schema registry does not answer): the record
 * is fine and must be retried later, never dead-lettered or dropped. Bytes that are wrong are an
 * {@link InvalidEventException} instead.
 */
public final class FormatUnavailableException extends RuntimeException {

    public FormatUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public FormatUnavailableException(String message) {
        super(message);
    }
}
