package dev.streamformer.engine.java.decoder;

import java.util.Locale;

/** How the Java engine stores a decoder's weight matrices after load. Embedding tables and norms stay fp32. */
public enum Quantization {
    /** As read, widened to fp32 (BF16 and F16 widen exactly). */
    NONE,
    /** llama.cpp's Q8_0: blocks of 32 int8 values with one scale, a quarter of fp32's bytes. */
    Q8_0;

    /** Applies this format to one layer at load. */
    Linear apply(Linear layer) {
        return this == Q8_0 ? layer.quantized() : layer;
    }

    /** {@code none} or {@code q8_0} (as {@code --quantize} takes it). */
    public static Quantization parse(String name) {
        return switch (name == null ? "none" : name.toLowerCase(Locale.ROOT)) {
            case "none", "f32", "" -> NONE;
            case "q8_0", "q8" -> Q8_0;
            default -> throw new IllegalArgumentException("--quantize '" + name + "' is not known: use --quantize q8_0, or leave it out for fp32.");
        };
    }
}
