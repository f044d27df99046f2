package dev.streamformer.tensor;

/** A GGUF file that cannot be read as what it claims to be; the message names the file and what to do. */
public final class GgufFormatException extends RuntimeException {
    public GgufFormatException(String message) {
        super(message);
    }
}
