package dev.streamformer.engine.java.layers;

/**
 * A normalization applied to each row of features on its own: LayerNorm (BERT, GPT-2) or RMSNorm (the Llama
 * lineage). Blocks are written against this, so a family chooses its norm without a copy of the block.
 */
public interface Norm {

    /** Normalizes {@code rows} rows of {@link #features()} values from {@code x} into {@code out} (may be {@code x}). */
    void forward(float[] x, int rows, float[] out);

    /** Features per row. */
    int features();
}
