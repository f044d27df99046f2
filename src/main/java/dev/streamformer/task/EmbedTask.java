package dev.streamformer.task;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.Pooling;
import dev.streamformer.tokenize.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code embed} task: one sentence vector per text.
 *
 * <p>Steps: tokenize each text (truncating to the model's maximum length, or rejecting, as {@link Overflow} says) →
 * plan batches by {@link TokenBudget} (sorted by length, little padding) → run the engine per batch → pool the hidden states
 * (mean / CLS / last / max / ..., from the model's descriptor or sentence-transformers files) → L2-normalise when they say so
 * → restore input order. A prompt ({@code query: }) goes before every text: the one named, or the model's default.
 */
public final class EmbedTask implements Task {

    private final LoadedModel model;
    private final TokenBudget budget;
    private final Overflow overflow;
    private final Pooling pooling;
    private final boolean normalize;
    private final String prefix;

    public EmbedTask(LoadedModel model, TokenBudget budget, Overflow overflow, String prefix) {
        this.model = model;
        this.budget = budget;
        this.overflow = overflow;
        this.pooling = model.files().descriptor().poolingMode();
        this.normalize = model.files().descriptor().normalizeOrDefault();
        this.prefix = model.files().prefixFor(prefix);   // a prompt name, a text, or null for the model's default prompt
    }

    /** The default model on ONNX Runtime with default batching. */
    public static EmbedTask load(String idOrPath, EngineOptions options) {
        return new EmbedTask(LoadedModel.load(idOrPath, options), TokenBudget.DEFAULT, Overflow.TRUNCATE, null);
    }

    @Override public String name() { return "embed"; }

    @Override public String modelId() { return model.id(); }

    public LoadedModel model() { return model; }

    @Override
    public int countTokens(String text) { return encode(text).length(); }

    /** Keeps the encoding, so that {@link #runPrepared} does not tokenize the text again. */
    @Override
    public PreparedText prepare(String text) {
        Encoding encoding = encode(text);
        return new PreparedText(text, encoding.length(), encoding);
    }

    private Encoding encode(String text) { return model.tokenizer().encode(prefix + text); }

    /** Embeds the texts; returns one {@code float[]} per text, in order. */
    public float[][] embed(List<String> texts) {
        return embedAll(texts).vectors();
    }

    /** Vectors, and which texts were cut to the model's maximum length. */
    private record Embedded(float[][] vectors, boolean[] truncated) {}

    private Embedded embedAll(List<String> texts) {
        Encoding[] encodings = new Encoding[texts.size()];
        for (int i = 0; i < encodings.length; i++) encodings[i] = encode(texts.get(i));
        return embedAll(encodings);
    }

    private Embedded embedAll(Encoding[] encodings) {
        for (Encoding encoding : encodings) {
            if (encoding.truncated() && overflow == Overflow.REJECT) throw new TextTooLongException(model.tokenizer().maxLength());
        }
        float[][] vectors = new float[encodings.length][];
        Batches.run(model, budget, encodings, (group, batch, out) -> {
            if (out.hiddenStates() == null) {
                throw new IllegalStateException("Model " + model.id() + " is a fine-tuned classifier (logits, no hidden states): classify with it"
                        + " (streamformer classify --model " + model.id() + "; run: --task classify), or embed with an embedding model, e.g. --model "
                        + ModelRegistry.DEFAULT_MODEL + ".");
            }
            for (int g = 0; g < group.length; g++) {
                float[] v = Pooler.pool(out.hiddenStates(), batch, g, pooling, normalize);
                for (float x : v) {
                    if (!Float.isFinite(x)) throw new ArithmeticException("The model produced a non-finite embedding value.");
                }
                vectors[group[g]] = v;
            }
        });
        boolean[] truncated = new boolean[encodings.length];
        for (int i = 0; i < encodings.length; i++) truncated[i] = encodings[i].truncated();
        return new Embedded(vectors, truncated);
    }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        return fields(embedAll(texts));
    }

    @Override
    public List<ObjectNode> runPrepared(List<PreparedText> inputs) {
        return fields(embedAll(encodings(inputs)));
    }

    /** {@link #embed} on prepared texts, from the encodings they keep (a text without one is tokenized here). */
    public float[][] embedPrepared(List<PreparedText> inputs) {
        return embedAll(encodings(inputs)).vectors();
    }

    private Encoding[] encodings(List<PreparedText> inputs) {
        Encoding[] encodings = new Encoding[inputs.size()];
        for (int i = 0; i < encodings.length; i++) {
            PreparedText input = inputs.get(i);
            encodings[i] = input.encoding() != null ? input.encoding() : encode(input.text());
        }
        return encodings;
    }

    private static List<ObjectNode> fields(Embedded embedded) {
        float[][] vectors = embedded.vectors();
        List<ObjectNode> results = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.set("embedding", new FloatArrayNode(vectors[i]));
            if (embedded.truncated()[i]) node.put("truncated", true); // only the first maxLength tokens were embedded
            results.add(node);
        }
        return results;
    }

    @Override
    public String toString() { return "embed(" + model.id() + ", " + pooling + (normalize ? ", normalized" : "") + ")"; }
}
