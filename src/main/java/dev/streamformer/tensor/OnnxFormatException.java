package dev.streamformer.tensor;

/** An ONNX file that cannot be read: truncated, malformed, or using a feature this reader does not support. */
public final class OnnxFormatException extends RuntimeException {

    public OnnxFormatException(String message) {
        super(message);
    }
}
