package dev.streamformer.task.train;

import dev.streamformer.tensor.Kernels;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tensor.SafeTensorsWriter;
import dev.streamformer.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A classifier head over a sentence embedding: {@code softmax(W₂ · relu(W₁ · x + b₁) + b₂)} with one hidden layer,
 * or {@code softmax(W · x + b)} (multinomial logistic regression) without.
 *
 * @param hiddenW {@code [hidden, dim]}, null without a hidden layer
 * @param hiddenB {@code [hidden]}
 * @param outW    {@code [labels, hidden or dim]}
 * @param outB    {@code [labels]}
 */
public record Head(int dim, int hidden, int labels, float[] hiddenW, float[] hiddenB, float[] outW, float[] outB) {

    public static Head zeros(int dim, int hidden, int labels, java.util.Random random) {
        if (hidden == 0) return new Head(dim, 0, labels, null, null, new float[labels * dim], new float[labels]);
        float[] w1 = new float[hidden * dim];
        float[] w2 = new float[labels * hidden];
        // He initialisation for the ReLU layer, small random for the output: a zero start would never break symmetry.
        for (int i = 0; i < w1.length; i++) w1[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / dim));
        for (int i = 0; i < w2.length; i++) w2[i] = (float) (random.nextGaussian() * Math.sqrt(1.0 / hidden));
        return new Head(dim, hidden, labels, w1, new float[hidden], w2, new float[labels]);
    }

    public int inputOfOutput() { return hidden == 0 ? dim : hidden; }

    /** Hidden activations for x (or x itself without a hidden layer). */
    float[] features(float[] x) {
        if (hidden == 0) return x;
        float[] h = new float[hidden];
        Kernels.linear(x, 1, dim, hiddenW, hiddenB, hidden, h);
        for (int i = 0; i < hidden; i++) h[i] = Math.max(0f, h[i]);
        return h;
    }

    /** Class probabilities for one embedding. */
    public float[] probabilities(float[] x) {
        float[] logits = new float[labels];
        Kernels.linear(features(x), 1, inputOfOutput(), outW, outB, labels, logits);
        Kernels.softmaxInPlace(logits, 0, labels);
        return logits;
    }

    public void save(Path file) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        if (hidden > 0) {
            w.add("hidden.weight", new Tensor(hiddenW, new int[]{hidden, dim}));
            w.add("hidden.bias", new Tensor(hiddenB, new int[]{hidden}));
        }
        w.add("classifier.weight", new Tensor(outW, new int[]{labels, inputOfOutput()}));
        w.add("classifier.bias", new Tensor(outB, new int[]{labels}));
        w.write(file);
    }

    public static Head load(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            int[] outShape = st.info("classifier.weight").intShape();
            int labels = outShape[0];
            if (st.contains("hidden.weight")) {
                int[] h = st.info("hidden.weight").intShape();
                return new Head(h[1], h[0], labels, st.floats("hidden.weight", h[0], h[1]), st.floats("hidden.bias", h[0]),
                        st.floats("classifier.weight", labels, h[0]), st.floats("classifier.bias", labels));
            }
            return new Head(outShape[1], 0, labels, null, null, st.floats("classifier.weight", labels, outShape[1]),
                    st.floats("classifier.bias", labels));
        }
    }
}
