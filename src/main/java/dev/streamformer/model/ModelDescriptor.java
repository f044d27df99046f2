package dev.streamformer.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.LinkedHashMap;
import java.util.Map;

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
 * @param prompts       texts put before a text, by name ({@code query: "query: "}), as sentence-transformers' prompts
 * @param defaultPromptName the prompt put before every text when the caller names none
 *
 * <p>In a sentence-transformers folder, {@link #withDefaultsFrom} fills what {@code streamformer.yaml} leaves unset from
 * the folder's own files: the yaml wins key by key (and prompt by prompt), the sentence-transformers files come next,
 * then the defaults (mean pooling, normalised, the model's positions).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelDescriptor(String id, String task, String description, String maven, String onnx, String tokenizer,
                              String safetensors, String pooling, Boolean normalize, Integer maxLength,
                              String queryPrefix, String passagePrefix, String encoder, String head,
                              Map<String, String> prompts, String defaultPromptName) {

    /** A bare Hugging Face directory without a descriptor: everything unset, so the defaults (or the folder's files) apply. */
    public static ModelDescriptor defaults(String id, String task) {
        return new ModelDescriptor(id, task, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * This descriptor with what it leaves unset taken from a sentence-transformers folder's files: pooling, normalisation
     * (a Normalize module, or none: then vectors are not normalised, as in sentence-transformers), {@code max_seq_length},
     * prompts and the default prompt.
     */
    public ModelDescriptor withDefaultsFrom(SentenceTransformersFolder st) {
        Map<String, String> merged = new LinkedHashMap<>(st.prompts());
        if (prompts != null) merged.putAll(prompts);
        return new ModelDescriptor(id, task, description, maven, onnx, tokenizer, safetensors,
                pooling != null ? pooling : st.pooling() == null ? null : st.pooling().id(),
                normalize != null ? normalize : st.normalize(),
                maxLength != null ? maxLength : st.maxSeqLength(),
                queryPrefix, passagePrefix, encoder, head, merged,
                defaultPromptName != null ? defaultPromptName : st.defaultPromptName());
    }

    /**
     * The text of the prompt called {@code name}: {@code queryPrefix} / {@code passagePrefix} for query / passage when
     * set, else the named entry of {@code prompts}; null when the model declares no such prompt.
     */
    public String prompt(String name) {
        if (name.equals("query") && queryPrefix != null) return queryPrefix;
        if (name.equals("passage") && passagePrefix != null) return passagePrefix;
        return prompts == null ? null : prompts.get(name);
    }

    /** The default prompt's text, or "" when the model declares none. */
    public String defaultPrompt() {
        if (defaultPromptName == null) return "";
        String p = prompt(defaultPromptName);
        if (p == null) {
            throw new ModelLoadException("The default prompt '" + defaultPromptName + "' of model " + id
                    + " is not one of its prompts: add it under prompts, or fix defaultPromptName.");
        }
        return p;
    }

    /** True for a directory written by {@code streamformer train}: an encoder reference plus a head. */
    public boolean isTrainedHead() { return encoder != null && head != null; }

    public Pooling poolingMode() { return Pooling.parse(pooling == null ? "mean" : pooling); }

    public boolean normalizeOrDefault() { return normalize == null || normalize; }
}
