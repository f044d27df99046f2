package dev.streamformer.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The decoder-only families, family by family: the one place that knows what a {@code model_type} (Hugging Face) or a
 * {@code general.architecture} (GGUF) means for the wiring of the Java engine's shared blocks. GPT-2 has a wiring of
 * its own (LayerNorm → attention → LayerNorm → GELU MLP, learned positions added to the embeddings, fused q/k/v); every
 * family of the Llama lineage is RMSNorm → attention with RoPE → RMSNorm → SwiGLU, and they differ only here:
 * <pre>
 *   family   q/k/v biases             q/k RMSNorm per head   sliding window                       in GGUF
 *   gpt2     always                   no                     none                                 (not run)
 *   llama    config attention_bias    no                     none                                 q/k rows permuted
 *   mistral  config attention_bias    no                     config sliding_window                (converted as llama)
 *   qwen2    always                   no                     use_sliding_window=true is refused   as in Hugging Face
 *   qwen3    config attention_bias    yes                    use_sliding_window=true is refused   as in Hugging Face
 * </pre>
 * llama.cpp's converter permutes the q/k rows of {@code llama} back to Meta's layout, where RoPE rotates neighbouring
 * features, instead of Hugging Face's "rotate_half" pairs (the Java engine's {@code GgufDecoder} explains it); it
 * leaves qwen2/qwen3 as they are (its "NEOX" rope mode). {@link HfConfig.Family#DECODER} lists these families.
 */
public enum DecoderFamily {
    GPT2("gpt2", Wiring.GPT2, Biases.ALWAYS, false, Window.NONE, Gguf.NONE),
    LLAMA("llama", Wiring.LLAMA, Biases.FROM_CONFIG, false, Window.NONE, Gguf.PERMUTED_QK),
    MISTRAL("mistral", Wiring.LLAMA, Biases.FROM_CONFIG, false, Window.SLIDING_WINDOW, Gguf.NONE),
    QWEN2("qwen2", Wiring.LLAMA, Biases.ALWAYS, false, Window.USE_SLIDING_WINDOW, Gguf.AS_HUGGING_FACE),
    QWEN3("qwen3", Wiring.LLAMA, Biases.FROM_CONFIG, true, Window.USE_SLIDING_WINDOW, Gguf.AS_HUGGING_FACE);

    /**
     * How a block is built: GPT-2's (LayerNorm, learned positions, GELU MLP, q/k/v as one Conv1D) or the Llama
     * lineage's (RMSNorm, RoPE, SwiGLU).
     */
    public enum Wiring { GPT2, LLAMA }

    /** Whether q, k and v carry biases. */
    public enum Biases { ALWAYS, FROM_CONFIG }

    /** Where a family keeps its sliding window, if it has one. */
    public enum Window { NONE, SLIDING_WINDOW, USE_SLIDING_WINDOW }

    /** How llama.cpp's GGUF files store this family: q/k rows permuted (llama), as Hugging Face does, or not at all. */
    public enum Gguf { PERMUTED_QK, AS_HUGGING_FACE, NONE }

    public final String modelType;
    public final Wiring wiring;
    public final Biases biases;
    public final boolean qkNorm;
    public final Window window;
    public final Gguf gguf;

    DecoderFamily(String modelType, Wiring wiring, Biases biases, boolean qkNorm, Window window, Gguf gguf) {
        this.modelType = modelType;
        this.wiring = wiring;
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
