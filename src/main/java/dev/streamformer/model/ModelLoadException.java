package dev.streamformer.model;

/** A model that cannot be found or read. The message is one sentence: which file, what was wrong, what to do. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) { super(message); }
    public ModelLoadException(String message, Throwable cause) { super(message, cause); }
}
