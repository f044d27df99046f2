package dev.streamformer.engine.java;

import dev.streamformer.engine.java.layers.LayerNorm;
import dev.streamformer.engine.java.layers.Linear;

/**
 * Where the encoder's parameters come from, by their Hugging Face names ({@code encoder.layer.0.attention.self.query.weight}).
 * Every source hands linear weights over as {@code [out, in]} (PyTorch's {@code nn.Linear} layout), whatever its file
 * stores, and checks the shape it was asked for.
 */
interface WeightSource {

    /** The parameter with this name, fp32, checked to have exactly this shape. */
    float[] get(String name, int... shape);

    /** True when the source holds this parameter (optional parts: token types, pooler, classifier). */
    boolean has(String name);

    /** The shape of a parameter, for inferring dimensions. */
    int[] shape(String name);

    /** Where the weights came from, for messages. */
    String describe();

    /** The linear layer {@code <name>.weight [out, in]}, {@code <name>.bias [out]}. */
    default Linear linear(String name, int in, int out) {
        return new Linear(get(name + ".weight", out, in), get(name + ".bias", out), in, out);
    }

    /** The LayerNorm {@code <name>.weight} (γ), {@code <name>.bias} (β), both {@code [dim]}. */
    default LayerNorm layerNorm(String name, int dim, float eps) {
        return new LayerNorm(get(name + ".weight", dim), get(name + ".bias", dim), eps);
    }
}
