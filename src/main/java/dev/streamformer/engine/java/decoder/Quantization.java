package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.Linear;

import java.util.Locale;

/** How the Java engine stores a decoder's weight matrices after load. Embedding tables and norms stay fp32. */
public enum Quantization {
    /** As the checkpoint stores them: BF16 matrices stay bf16 (half the bytes per token), F32 and F16 become fp32. */
    NONE,
    /** Everything widened to fp32 (BF16 and F16 widen exactly): twice the memory of a bf16 checkpoint, same numbers. */
    F32,
    /** llama.cpp's Q8_0: blocks of 32 int8 values with one scale, a quarter of fp32's bytes. */
    Q8_0;

    /** Applies this format to one layer at load. */
    Linear apply(Linear layer) {
        return switch (this) {
            case NONE -> layer;
            case F32 -> layer.widened();
            case Q8_0 -> layer.quantized();
        };
    }

    /** {@code none}, {@code f32} or {@code q8_0} (as {@code --quantize} takes it). */
    public static Quantization parse(String name) {
        return switch (name == null ? "none" : name.toLowerCase(Locale.ROOT)) {
            case "none", "" -> NONE;
            case "f32", "fp32" -> F32;
            case "q8_0", "q8" -> Q8_0;
            default -> throw new IllegalArgumentException("--quantize '" + name + "' is not known: use --quantize q8_0 (8-bit),"
                    + " f32 (widen bf16 weights), or leave it out to keep the checkpoint's own format.");
        };
    }
}
