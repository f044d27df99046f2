package dev.streamformer.topology;

/** A mistake in a topology file: the message names the file, line and key, and says what is allowed. */
public class TopologyException extends RuntimeException {
    public TopologyException(String message) { super(message); }
    public TopologyException(String message, Throwable cause) { super(message, cause); }
}
