package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.java.layers.Linear;

import java.util.Locale;

/** How the Java engine stores a decoder's weight matrices after load. Embedding tables and norms stay fp32. */
public enum Quantization {
    /**
     * fp32 (BF16 and F16 widen exactly): the fastest for prompts and batches, which run on the packed fp32 kernel; twice
     * the memory of a bf16 checkpoint.
     */
    NONE,
    /** BF16 matrices stay bf16 as stored (half the memory; widened exactly in the kernel); others fp32. */
    BF16,
    /** llama.cpp's Q8_0: blocks of 32 int8 values with one scale, a quarter of fp32's bytes. */
    Q8_0;

    /** Applies this format to one layer at load. */
    Linear apply(Linear layer) {
        return switch (this) {
            case NONE -> layer.widened();
            case BF16 -> layer;
            case Q8_0 -> layer.quantized();
        };
    }

    /** {@code none}, {@code bf16} or {@code q8_0} (as {@code --quantize} takes it). */
    public static Quantization parse(String name) {
        return switch (name == null ? "none" : name.toLowerCase(Locale.ROOT)) {
            case "none", "f32", "fp32", "" -> NONE;
            case "bf16" -> BF16;
            case "q8_0", "q8" -> Q8_0;
            default -> throw new IllegalArgumentException("--quantize '" + name + "' is not known: use --quantize q8_0 (8-bit),"
                    + " bf16 (keep a bf16 checkpoint's weights as stored), or leave it out for fp32.");
        };
    }
}
