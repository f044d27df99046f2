package dev.streamformer.engine.java.layers;

/**
 * The position-wise feed-forward network of a decoder block (Hugging Face calls it {@code mlp}): each row goes
 * hidden → intermediate → hidden on its own. GPT-2 uses {@link GeluFeedForward}, the Llama lineage {@link GatedFeedForward}.
 */
public interface Mlp {

    /**
     * {@code out[rows, hidden]} from {@code x[rows, hidden]}; {@code wide} is scratch of {@code [rows, intermediate]},
     * {@code wide2} of {@code [rows, 2·intermediate]} (a gated network computes gate and up side by side in it).
     */
    void forward(float[] x, int rows, float[] wide, float[] wide2, float[] out);
}
