package dev.streamformer.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The Llama lineage, family by family: the one place that knows what a {@code model_type} (Hugging Face) or a
 * {@code general.architecture} (GGUF) means for the wiring of the Java engine's shared blocks. Every family is RMSNorm → attention
 * with RoPE → RMSNorm → SwiGLU; they differ only here:
 * <pre>
 *   family   q/k/v biases             q/k RMSNorm per head   sliding window                       in GGUF
 *   llama    config attention_bias    no                     none                                 q/k rows permuted
 *   mistral  config attention_bias    no                     config sliding_window                (converted as llama)
 *   qwen2    always                   no                     use_sliding_window=true is refused   as in Hugging Face
 *   qwen3    config attention_bias    yes                    use_sliding_window=true is refused   as in Hugging Face
 * </pre>
 * llama.cpp's converter permutes the q/k rows of {@code llama} back to Meta's layout, where RoPE rotates neighbouring
 * features, instead of Hugging Face's "rotate_half" pairs (the Java engine's {@code GgufDecoder} explains it); it
 * leaves qwen2/qwen3 as they are (its "NEOX" rope mode). GPT-2, whose whole wiring differs (LayerNorm, learned
 * positions, GELU), is the Java engine's {@code DecoderConfig}'s own case; {@link HfConfig.Family#DECODER} lists
 * these families and it.
 */
public enum DecoderFamily {
    LLAMA("llama", Biases.FROM_CONFIG, false, Window.NONE, Gguf.PERMUTED_QK),
    MISTRAL("mistral", Biases.FROM_CONFIG, false, Window.SLIDING_WINDOW, Gguf.NONE),
    QWEN2("qwen2", Biases.ALWAYS, false, Window.USE_SLIDING_WINDOW, Gguf.AS_HUGGING_FACE),
    QWEN3("qwen3", Biases.FROM_CONFIG, true, Window.USE_SLIDING_WINDOW, Gguf.AS_HUGGING_FACE);

    /** Whether q, k and v carry biases. */
    public enum Biases { ALWAYS, FROM_CONFIG }

    /** Where a family keeps its sliding window, if it has one. */
    public enum Window { NONE, SLIDING_WINDOW, USE_SLIDING_WINDOW }

    /** How llama.cpp's GGUF files store this family: q/k rows permuted (llama), as Hugging Face does, or not at all. */
    public enum Gguf { PERMUTED_QK, AS_HUGGING_FACE, NONE }

    public final String modelType;
    public final Biases biases;
    public final boolean qkNorm;
    public final Window window;
    public final Gguf gguf;

    DecoderFamily(String modelType, Biases biases, boolean qkNorm, Window window, Gguf gguf) {
        this.modelType = modelType;
        this.biases = biases;
        this.qkNorm = qkNorm;
        this.window = window;
        this.gguf = gguf;
    }

    /** The family of a Hugging Face {@code model_type}, or null. */
    public static DecoderFamily ofModelType(String modelType) {
        for (DecoderFamily f : values()) if (f.modelType.equals(modelType)) return f;
        return null;
    }

    /** The family of a GGUF {@code general.architecture}; refused in one sentence when we do not run it. */
    public static DecoderFamily ofGguf(String architecture, Object file) {
        for (DecoderFamily f : values()) if (f.gguf != Gguf.NONE && f.modelType.equals(architecture)) return f;
        List<String> known = new ArrayList<>();
        for (DecoderFamily f : values()) if (f.gguf != Gguf.NONE) known.add(f.modelType);
        throw new IllegalArgumentException(file + " has general.architecture '" + architecture + "', which the Java engine"
                + " cannot run; it runs GGUF files of " + String.join(", ", known) + ".");
    }
}
