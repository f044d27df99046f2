package dev.streamformer.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What we know about a model beyond its Hugging Face files: how to turn hidden states into the task's
 * output. Read from {@code models/<id>.yaml} (built-in ids) or {@code streamformer.yaml} in a model directory.
 *
 * @param task          {@code embed} or {@code classify} (or {@code generate})
 * @param maven         {@code group:artifact:version} of the Maven Central jar holding the files (built-ins only)
 * @param onnx          file name of the ONNX graph inside the directory or jar
 * @param tokenizer     file name of the tokenizer.json inside the directory or jar
 * @param pooling       {@code mean}, {@code cls} or {@code last}
 * @param normalize     L2-normalise pooled embeddings
 * @param maxLength     maximum tokens per text, special tokens included; longer texts are truncated or rejected
 * @param queryPrefix   text put before queries (e.g. {@code "query: "} for E5), when the caller says the text is a query
 * @param passagePrefix text put before passages
 * @param encoder       a trained head's encoder (built-in id or directory); its tokenizer and weights are used
 * @param head          a trained head's weights ({@code head.safetensors}), relative to the descriptor's directory
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelDescriptor(String id, String task, String description, String maven, String onnx, String tokenizer,
                              String safetensors, String pooling, Boolean normalize, Integer maxLength,
                              String queryPrefix, String passagePrefix, String encoder, String head) {

    /** Defaults for a bare Hugging Face directory without a descriptor. */
    public static ModelDescriptor defaults(String id, String task) {
        return new ModelDescriptor(id, task, null, null, null, null, null, "mean", true, null, null, null, null, null);
    }

    /** True for a directory written by {@code streamformer train}: an encoder reference plus a head. */
    public boolean isTrainedHead() { return encoder != null && head != null; }

    public Pooling poolingMode() { return Pooling.parse(pooling == null ? "mean" : pooling); }

    public boolean normalizeOrDefault() { return normalize == null || normalize; }
}
