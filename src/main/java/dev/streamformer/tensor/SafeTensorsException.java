package dev.streamformer.tensor;

/** A safetensors file that cannot be read as it claims: the message names the file and what is wrong with it. */
public final class SafeTensorsException extends RuntimeException {

    public SafeTensorsException(String message) {
        super(message);
    }

    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
