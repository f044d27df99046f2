package dev.streamformer.task.train;

import java.util.Random;

/**
 * Trains a {@link Head} with mini-batch gradient descent (Adam) on cross-entropy plus L2 on the weights.
 * Deterministic for a seed: the shuffle and the initialisation come from one {@link Random}.
 *
 * @param epochs    passes over the training set
 * @param batchSize examples per step
 * @param lr        Adam learning rate
 * @param l2        weight decay coefficient λ in {@code loss + λ/2 · ||W||²}
 */
public record HeadTrainer(int epochs, int batchSize, float lr, float l2, long seed) {

    /** Called after each epoch with the epoch number, mean training loss, and the head so far. */
    public interface EpochListener {
        void epoch(int epoch, double loss, Head head);
    }

    public Head train(float[][] x, int[] y, int labels, int hidden, EpochListener listener) {
        Random random = new Random(seed);
        int n = x.length, dim = x[0].length;
        Head head = Head.zeros(dim, hidden, labels, random);
        Adam adam = new Adam(head, lr);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Gradients g = new Gradients(head);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            shuffle(order, random);
            double lossSum = 0;
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                g.clear();
                for (int k = start; k < end; k++) lossSum += g.accumulate(x[order[k]], y[order[k]]);
                g.scale(1f / (end - start));
                g.addWeightDecay(l2);
                adam.step(g);
            }
            if (listener != null) listener.epoch(epoch, lossSum / n, head);
        }
        return head;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    /** Gradients of the loss with respect to every parameter of the head, summed over a mini-batch. */
    private static final class Gradients {
        final Head head;
        final float[] hiddenW, hiddenB, outW, outB;

        Gradients(Head head) {
            this.head = head;
            this.hiddenW = head.hidden() > 0 ? new float[head.hiddenW().length] : null;
            this.hiddenB = head.hidden() > 0 ? new float[head.hidden()] : null;
            this.outW = new float[head.outW().length];
            this.outB = new float[head.labels()];
        }

        void clear() {
            if (hiddenW != null) { java.util.Arrays.fill(hiddenW, 0); java.util.Arrays.fill(hiddenB, 0); }
            java.util.Arrays.fill(outW, 0);
            java.util.Arrays.fill(outB, 0);
        }

        /** Forward, cross-entropy, backward for one example; returns its loss. */
        double accumulate(float[] x, int label) {
            float[] h = head.features(x);
            float[] p = head.probabilities(x);
            int in = head.inputOfOutput();
            // dLoss/dlogits = p - onehot(label)
            float[] dLogits = p.clone();
            dLogits[label] -= 1f;
            float[] dH = head.hidden() > 0 ? new float[in] : null;
            for (int c = 0; c < head.labels(); c++) {
                outB[c] += dLogits[c];
                for (int j = 0; j < in; j++) {
                    outW[c * in + j] += dLogits[c] * h[j];
                    if (dH != null) dH[j] += dLogits[c] * head.outW()[c * in + j];
                }
            }
            if (dH != null) {
                for (int j = 0; j < head.hidden(); j++) {
                    if (h[j] <= 0f) continue; // ReLU passes gradient only where it was active
                    hiddenB[j] += dH[j];
                    for (int d = 0; d < head.dim(); d++) hiddenW[j * head.dim() + d] += dH[j] * x[d];
                }
            }
            return -Math.log(Math.max(p[label], 1e-12f));
        }

        void scale(float s) {
            for (float[] a : arrays()) if (a != null) for (int i = 0; i < a.length; i++) a[i] *= s;
        }

        void addWeightDecay(float l2) {
            for (int i = 0; i < outW.length; i++) outW[i] += l2 * head.outW()[i];
            if (hiddenW != null) for (int i = 0; i < hiddenW.length; i++) hiddenW[i] += l2 * head.hiddenW()[i];
        }

        float[][] arrays() { return new float[][]{hiddenW, hiddenB, outW, outB}; }
    }

    /** Adam (Kingma & Ba, 2015) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
    private static final class Adam {
        final float[][] params, m, v;
        final float lr;
        int t;

        Adam(Head head, float lr) {
            this.params = new float[][]{head.hiddenW(), head.hiddenB(), head.outW(), head.outB()};
            this.m = new float[4][];
            this.v = new float[4][];
            for (int i = 0; i < 4; i++) {
                if (params[i] != null) { m[i] = new float[params[i].length]; v[i] = new float[params[i].length]; }
            }
            this.lr = lr;
        }

        void step(Gradients g) {
            t++;
            float[][] grads = g.arrays();
            double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
            for (int a = 0; a < 4; a++) {
                if (params[a] == null) continue;
                for (int i = 0; i < params[a].length; i++) {
                    float gi = grads[a][i];
                    m[a][i] = 0.9f * m[a][i] + 0.1f * gi;
                    v[a][i] = 0.999f * v[a][i] + 0.001f * gi * gi;
                    params[a][i] -= (float) (lr * (m[a][i] / c1) / (Math.sqrt(v[a][i] / c2) + 1e-8));
                }
            }
        }
    }

}
