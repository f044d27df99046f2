package dev.streamformer.engine.java.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The Llama lineage, family by family: the one place that knows what a {@code model_type} (Hugging Face) or a
 * {@code general.architecture} (GGUF) means for the wiring of the shared blocks. Every family is RMSNorm → attention
 * with RoPE → RMSNorm → SwiGLU; they differ only here:
 * <pre>
 *   family   q/k/v biases             q/k RMSNorm per head   sliding window                       RoPE pairs in GGUF
 *   llama    config attention_bias    no                     none                                 neighbours (q/k permuted)
 *   mistral  config attention_bias    no                     config sliding_window                (converted as llama)
 *   qwen2    always                   no                     use_sliding_window=true is refused   rotate-half
 *   qwen3    config attention_bias    yes                    use_sliding_window=true is refused   rotate-half
 * </pre>
 * Hugging Face folders always pair RoPE features as rotate-half ({@link RotaryEmbedding.Pairing#ROTATE_HALF}).
 * llama.cpp's converter permutes the q/k rows of {@code llama} back to Meta's interleaved order and rotates
 * neighbouring features there ({@link GgufDecoder}); it leaves qwen2/qwen3 as they are (its "NEOX" rope mode).
 * GPT-2, whose whole wiring differs (LayerNorm, learned positions, GELU), is read by {@code DecoderConfig} and
 * {@code HuggingFaceDecoder} on their own.
 */
enum DecoderFamily {
    LLAMA("llama", Biases.FROM_CONFIG, false, Window.NONE, RotaryEmbedding.Pairing.NEIGHBOURS),
    MISTRAL("mistral", Biases.FROM_CONFIG, false, Window.SLIDING_WINDOW, null),
    QWEN2("qwen2", Biases.ALWAYS, false, Window.USE_SLIDING_WINDOW, RotaryEmbedding.Pairing.ROTATE_HALF),
    QWEN3("qwen3", Biases.FROM_CONFIG, true, Window.USE_SLIDING_WINDOW, RotaryEmbedding.Pairing.ROTATE_HALF);

    /** Whether q, k and v carry biases. */
    enum Biases { ALWAYS, FROM_CONFIG }

    /** Where a family keeps its sliding window, if it has one. */
    enum Window { NONE, SLIDING_WINDOW, USE_SLIDING_WINDOW }

    final String name;
    final Biases biases;
    final boolean qkNorm;
    final Window window;
    /** How a GGUF file of this architecture pairs RoPE features; null: llama.cpp has no architecture of this name. */
    final RotaryEmbedding.Pairing ggufPairing;

    DecoderFamily(String name, Biases biases, boolean qkNorm, Window window, RotaryEmbedding.Pairing ggufPairing) {
        this.name = name;
        this.biases = biases;
        this.qkNorm = qkNorm;
        this.window = window;
        this.ggufPairing = ggufPairing;
    }

    /** The family of a Hugging Face {@code model_type}, or null. */
    static DecoderFamily ofModelType(String modelType) {
        for (DecoderFamily f : values()) if (f.name.equals(modelType)) return f;
        return null;
    }

    /** The family of a GGUF {@code general.architecture}; refused in one sentence when we do not run it. */
    static DecoderFamily ofGguf(String architecture, Object file) {
        for (DecoderFamily f : values()) if (f.ggufPairing != null && f.name.equals(architecture)) return f;
        List<String> known = new ArrayList<>();
        for (DecoderFamily f : values()) if (f.ggufPairing != null) known.add(f.name);
        throw new IllegalArgumentException(file + " has general.architecture '" + architecture + "', which the Java engine"
                + " cannot run; it runs GGUF files of " + String.join(", ", known) + ".");
    }
}
