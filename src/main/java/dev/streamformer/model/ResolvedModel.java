package dev.streamformer.model;

import java.nio.file.Path;

/**
 * A model found on disk, in Hugging Face layout.
 *
 * @param id          the id the user gave (a built-in id, or the directory path)
 * @param dir         the directory holding the files
 * @param tokenizer   {@code tokenizer.json}
 * @param onnx        the ONNX graph, or null when there is none
 * @param safetensors the safetensors weights, or null when there are none
 * @param config      {@code config.json} (empty when the model has none)
 * @param descriptor  pooling, normalisation, max length, prefixes
 */
public record ResolvedModel(String id, Path dir, Path tokenizer, Path onnx, Path safetensors, HfConfig config,
                            ModelDescriptor descriptor) {

    /** The task the model is made for: the descriptor's, else classify for sequence classifiers, else embed. */
    public String task() {
        if (descriptor.task() != null) return descriptor.task();
        return config.isSequenceClassifier() ? "classify" : "embed";
    }

    /** Maximum tokens per text: the descriptor's, else what the model's position table covers, else 512. */
    public int maxLength() {
        if (descriptor.maxLength() != null) return descriptor.maxLength();
        int positions = config.maxSequenceLength();
        return positions > 0 ? positions : 512;
    }
}
