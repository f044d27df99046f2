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

    /** The task the model is made for: the descriptor's, else classify for sequence classifiers, entities for token classifiers, else embed. */
    public String task() {
        if (descriptor.task() != null) return descriptor.task();
        if (config.isTokenClassifier()) return "entities";
        return config.isSequenceClassifier() ? "classify" : "embed";
    }

    /**
     * Maximum tokens per text: the descriptor's ({@code streamformer.yaml}, else sentence-transformers' {@code max_seq_length})
     * but no more than the model's position table covers; else what the table covers; else 512.
     */
    public int maxLength() {
        int positions = config.maxSequenceLength();
        if (descriptor.maxLength() != null) return positions > 0 ? Math.min(descriptor.maxLength(), positions) : descriptor.maxLength();
        return positions > 0 ? positions : 512;
    }

    /**
     * What to put before every text, from what the user gave ({@code --prefix}, a stage's {@code prefix}):
     * <ul>
     *   <li>nothing (null): the model's default prompt ({@code default_prompt_name}), or none;</li>
     *   <li>the name of one of the model's prompts ({@code query}, {@code passage}, any name in its prompts): that prompt;
     *       {@code query} and {@code passage} give "" for a model that declares none;</li>
     *   <li>anything else: that text itself ("" for none, even when the model has a default prompt).</li>
     * </ul>
     */
    public String prefixFor(String given) {
        if (given == null) return descriptor.defaultPrompt();
        String prompt = descriptor.prompt(given);
        if (prompt != null) return prompt;
        return given.equals("query") || given.equals("passage") ? "" : given;
    }
}
