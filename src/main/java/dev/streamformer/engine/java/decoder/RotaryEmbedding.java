package dev.streamformer.engine.java.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.model.HfConfig;

/**
 * Rotary position embedding (RoPE, Su et al. 2021): instead of adding a position vector, rotate each pair of
 * features of every query and key head by an angle {@code position · θ_i}. The dot product of a rotated query
 * and a rotated key then depends only on their distance.
 *
 * <p>Which features form a pair is the one thing implementations disagree on: llama2.c and Meta's code rotate
 * neighbours {@code (2i, 2i+1)}; Hugging Face rotates {@code (i, i + d/2)} ("rotate_half") and permutes the q/k
 * weights at conversion, so both give the same model.
 */
public final class RotaryEmbedding {

    /** How features pair up for rotation. */
    public enum Pairing { ROTATE_HALF, NEIGHBOURS }

    /**
     * The rotation speeds {@code θ_i, i < headDim/2}: {@code rope_theta^(-2i/headDim)}, then rescaled by
     * {@code rope_scaling} ({@code linear}: all divided by the factor; {@code llama3}: slow frequencies divided,
     * fast ones kept, the band between blended). Computed in fp32, as transformers does.
     */
    public record Frequencies(float[] inverse) {

        static Frequencies fromConfig(HfConfig c, int headDim) {
            double theta = c.number("rope_theta", 10000.0);
            float[] inv = base(theta, headDim);
            JsonNode scaling = c.object("rope_scaling");
            if (scaling == null) return new Frequencies(inv);
            String type = scaling.path("rope_type").asText(scaling.path("type").asText("default"));
            float factor = (float) scaling.path("factor").asDouble(1.0);
            switch (type) {
                case "default" -> { }
                case "linear" -> {
                    for (int i = 0; i < inv.length; i++) inv[i] /= factor;
                }
                case "llama3" -> llama3(inv, factor, (float) scaling.path("low_freq_factor").asDouble(1.0),
                        (float) scaling.path("high_freq_factor").asDouble(4.0),
                        scaling.path("original_max_position_embeddings").asInt(8192));
                default -> c.require(false, "rope_scaling type '" + type + "' (default, linear, llama3)");
            }
            return new Frequencies(inv);
        }

        /** {@code 1 / theta^(2i/d)} in fp32. */
        static float[] base(double theta, int headDim) {
            float[] inv = new float[headDim / 2];
            for (int i = 0; i < inv.length; i++) {
                float exponent = (float) (2 * i) / headDim;
                inv[i] = 1f / (float) Math.pow((float) theta, exponent);
            }
            return inv;
        }

        /**
         * Llama 3.1's long-context scaling: wavelengths longer than {@code original / lowFreqFactor} are stretched by
         * {@code factor}, those shorter than {@code original / highFreqFactor} kept, and the band between interpolated.
         */
        private static void llama3(float[] inv, float factor, float lowFreqFactor, float highFreqFactor, int original) {
            float lowFreqWavelen = original / lowFreqFactor;
            float highFreqWavelen = original / highFreqFactor;
            for (int i = 0; i < inv.length; i++) {
                float wavelen = (float) (2 * Math.PI) / inv[i];
                if (wavelen > lowFreqWavelen) {
                    inv[i] = inv[i] / factor;
                } else if (wavelen >= highFreqWavelen) {
                    float smooth = (original / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                }
            }
        }
    }

    private final int headDim;
    private final Pairing pairing;
    private final float[] cos;   // [positions, headDim/2]
    private final float[] sin;   // [positions, headDim/2]

    /** The rotations for positions {@code 0 .. positions-1}, computed once. */
    public RotaryEmbedding(Frequencies frequencies, int headDim, Pairing pairing, int positions) {
        int half = headDim / 2;
        if (frequencies.inverse().length != half) {
            throw new IllegalArgumentException(frequencies.inverse().length + " RoPE frequencies for head_dim " + headDim);
        }
        this.headDim = headDim;
        this.pairing = pairing;
        this.cos = new float[positions * half];
        this.sin = new float[positions * half];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = p * frequencies.inverse()[i];   // fp32 product, as torch's inv_freq @ position_ids
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates {@code heads} consecutive heads starting at {@code x[off]} for {@code position}, in place. */
    public void rotate(float[] x, int off, int heads, int position) {
        int half = headDim / 2;
        int t = position * half;
        // ROTATE_HALF pairs (i, i + half), NEIGHBOURS pairs (2i, 2i + 1)
        int step = pairing == Pairing.ROTATE_HALF ? 1 : 2;
        int partner = pairing == Pairing.ROTATE_HALF ? half : 1;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = base + step * i;
                int b = a + partner;
                float x0 = x[a], x1 = x[b], c = cos[t + i], s = sin[t + i];
                x[a] = x0 * c - x1 * s;
                x[b] = x1 * c + x0 * s;
            }
        }
    }
}
