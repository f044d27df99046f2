package dev.streamformer.task.train;

import dev.streamformer.model.HfConfig;
import dev.streamformer.model.ModelDescriptor;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.task.ClassifyTask;
import dev.streamformer.task.EmbedTask;
import dev.streamformer.task.PreparedText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Classifies with a head written by {@code streamformer train}: embed with the encoder, then the head's softmax. */
public final class TrainedHeadClassifier implements ClassifyTask.Classifier {

    private final String id;
    private final EmbedTask encoder;
    private final Head head;
    private final List<String> labels;

    public TrainedHeadClassifier(String id, EmbedTask encoder, Head head, List<String> labels) {
        this.id = id;
        this.encoder = encoder;
        this.head = head;
        this.labels = labels;
    }

    /** Reads the head and labels of a trained-head directory; the encoder is loaded by the caller. */
    public static TrainedHeadClassifier open(Path dir, ModelDescriptor descriptor, EmbedTask encoder) {
        return open(dir.toString(), dir, descriptor, encoder);
    }

    /** As {@link #open(Path, ModelDescriptor, EmbedTask)}, reporting the model as {@code id} (the path as given). */
    public static TrainedHeadClassifier open(String id, Path dir, ModelDescriptor descriptor, EmbedTask encoder) {
        Path headFile = dir.resolve(descriptor.head());
        if (!Files.isRegularFile(headFile)) {
            throw new ModelLoadException(headFile + " is missing: train the head again with streamformer train --out " + dir + ".");
        }
        Head head = Head.load(headFile);
        List<String> labels = HfConfig.read(dir.resolve("config.json")).labels(head.labels());
        return new TrainedHeadClassifier(id, encoder, head, labels);
    }

    @Override public List<String> labels() { return labels; }
    @Override public boolean multiLabel() { return false; }
    @Override public String modelId() { return id; }
    @Override public int countTokens(String text) { return encoder.countTokens(text); }

    @Override public PreparedText prepare(String text) { return encoder.prepare(text); }

    @Override
    public float[][] scores(List<String> texts) {
        return probabilities(encoder.embed(texts));
    }

    @Override
    public float[][] scoresPrepared(List<PreparedText> texts) {
        return probabilities(encoder.embedPrepared(texts));
    }

    private float[][] probabilities(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = head.probabilities(x[i]);
        return out;
    }
}
