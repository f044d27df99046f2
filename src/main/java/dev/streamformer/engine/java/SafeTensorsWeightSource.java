package dev.streamformer.engine.java;

import dev.streamformer.tensor.SafeTensors;

import java.util.List;

/**
 * Reads a BERT-style encoder's parameters from a Hugging Face {@code model.safetensors}. Names are the model's own
 * ({@code BertModel}, {@code XLMRobertaModel}), or under the {@code bert.} / {@code roberta.} prefix that the
 * {@code …ForSequenceClassification} and {@code …ForTokenClassification} classes add (their heads sit outside it);
 * linear weights are already {@code [out, in]}.
 */
final class SafeTensorsWeightSource implements WeightSource {

    /** Where the encoder's names start: a bare model, BERT's heads, RoBERTa's and XLM-R's heads. */
    private static final List<String> PREFIXES = List.of("", "bert.", "roberta.");

    private final SafeTensors file;
    private final String prefix;

    SafeTensorsWeightSource(SafeTensors file) {
        this.file = file;
        this.prefix = PREFIXES.stream().filter(p -> file.contains(p + "embeddings.word_embeddings.weight")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " has no embeddings.word_embeddings.weight (bare, or under "
                        + "bert. or roberta.): is it a BERT-style encoder?"));
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
