package dev.streamformer.engine.java;

import dev.streamformer.tensor.SafeTensors;

/**
 * Reads a BERT encoder's parameters from a Hugging Face {@code model.safetensors}. Names are the model's own,
 * under the {@code bert.} prefix that {@code BertForSequenceClassification} adds (the classifier sits outside it);
 * linear weights are already {@code [out, in]}.
 */
final class SafeTensorsWeightSource implements WeightSource {

    private final SafeTensors file;
    private final String prefix;

    SafeTensorsWeightSource(SafeTensors file) {
        this.file = file;
        this.prefix = file.contains("bert.embeddings.word_embeddings.weight") ? "bert." : "";
        if (!file.contains(prefix + "embeddings.word_embeddings.weight")) {
            throw new IllegalArgumentException(file + " has no embeddings.word_embeddings.weight: is it a BERT-style encoder?");
        }
    }

    private String resolve(String name) {
        return file.contains(prefix + name) ? prefix + name : name;
    }

    @Override
    public float[] get(String name, int... shape) {
        if (!has(name)) throw new IllegalArgumentException(file + " has no weight '" + prefix + name + "'");
        return file.floats(resolve(name), shape);
    }

    @Override
    public boolean has(String name) {
        return file.contains(resolve(name));
    }

    @Override
    public int[] shape(String name) {
        return file.info(resolve(name)).intShape();
    }

    @Override
    public String describe() { return file.toString(); }
}
