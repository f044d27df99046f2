package dev.streamformer.task;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.tokenize.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code classify} task: a label and a score per text.
 *
 * <p>Where the scores come from is a {@link Classifier}: a fine-tuned sequence-classification model's logits
 * (softmax, or sigmoid per label for multi-label models), label descriptions (zero-shot: a softmax over the scaled
 * cosine similarities, see {@link ZeroShot}), or a head trained on the pooled embeddings. Whatever the classifier,
 * {@code score} is a probability in [0, 1]. This class only adds the JSON: {@code label}, {@code score},
 * {@code labels} (multi-label: all over the threshold), with {@code allScores} a {@code scores} object, and for
 * zero-shot the raw cosine {@code similarity} of the best label (and {@code similarities} with {@code allScores}).
 */
public final class ClassifyTask implements Task {

    /** Scores for a batch of texts: {@code [texts][labels]}, each row a probability (or similarity) per label. */
    public interface Classifier {
        List<String> labels();

        boolean multiLabel();

        String modelId();

        int countTokens(String text);

        float[][] scores(List<String> texts);

        /** The text tokenized once, its encoding kept for {@link #scoresPrepared}; by default only counted. */
        default PreparedText prepare(String text) {
            return PreparedText.counted(text, countTokens(text));
        }

        /** {@link #scores} from prepared texts, without tokenizing again where their encodings were kept. */
        default float[][] scoresPrepared(List<PreparedText> texts) {
            return scores(PreparedText.texts(texts));
        }
    }

    private final Classifier classifier;
    private final boolean allScores;
    private final float threshold;
    private final float minScore;

    /**
     * @param threshold multi-label models: labels whose sigmoid score reaches this go into {@code labels}
     * @param minScore  single-label: below this best score the label is {@code unknown} (0 disables)
     */
    public ClassifyTask(Classifier classifier, boolean allScores, float threshold, float minScore) {
        this.classifier = classifier;
        this.allScores = allScores;
        this.threshold = threshold;
        this.minScore = minScore;
    }

    @Override public String name() { return "classify"; }

    @Override public String modelId() { return classifier.modelId(); }

    @Override public int countTokens(String text) { return classifier.countTokens(text); }

    public List<String> labels() { return classifier.labels(); }

    /** Keeps the classifier's encoding, so that {@link #runPrepared} does not tokenize the text again. */
    @Override
    public PreparedText prepare(String text) { return classifier.prepare(text); }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        if (classifier instanceof ZeroShot zeroShot) return fields(zeroShot.similarities(texts));
        return fields(classifier.scores(texts), null);
    }

    @Override
    public List<ObjectNode> runPrepared(List<PreparedText> inputs) {
        if (classifier instanceof ZeroShot zeroShot) return fields(zeroShot.similaritiesPrepared(inputs));
        return fields(classifier.scoresPrepared(inputs), null);
    }

    private List<ObjectNode> fields(float[][] similarities) {
        return fields(ZeroShot.probabilities(similarities), similarities);
    }

    /** The JSON per text from its scores, and for zero-shot its cosine similarities (else null). */
    private List<ObjectNode> fields(float[][] scores, float[][] similarities) {
        List<String> labels = classifier.labels();
        List<ObjectNode> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            float[] row = scores[i];
            int best = 0;
            for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            boolean known = minScore <= 0 || row[best] >= minScore;
            node.put("label", known ? labels.get(best) : "unknown");
            node.put("score", row[best]);
            if (classifier.multiLabel()) {
                var over = node.putArray("labels");
                for (int j = 0; j < row.length; j++) if (row[j] >= threshold) over.add(labels.get(j));
            }
            if (similarities != null) node.put("similarity", similarities[i][best]);
            if (allScores) {
                ObjectNode all = node.putObject("scores");
                for (int j = 0; j < row.length; j++) all.put(labels.get(j), row[j]);
                if (similarities != null) {
                    ObjectNode cosines = node.putObject("similarities");
                    for (int j = 0; j < row.length; j++) cosines.put(labels.get(j), similarities[i][j]);
                }
            }
            out.add(node);
        }
        return out;
    }

    /** A fine-tuned {@code *ForSequenceClassification} model: logits from the engine, softmax or sigmoid, {@code id2label}. */
    public static final class FineTuned implements Classifier {
        private final LoadedModel model;
        private final TokenBudget budget;
        private final Overflow overflow;
        private final List<String> labels;
        private final boolean multiLabel;

        /** Texts over the model's maximum length are cut to it. */
        public FineTuned(LoadedModel model, TokenBudget budget) {
            this(model, budget, Overflow.TRUNCATE);
        }

        /** @param overflow texts over the model's maximum length: cut to it, or refused ({@link TextTooLongException}) */
        public FineTuned(LoadedModel model, TokenBudget budget, Overflow overflow) {
            this.model = model;
            this.budget = budget;
            this.overflow = overflow;
            this.multiLabel = model.files().config().isMultiLabel();
            int count = model.files().config().json().path("id2label").size();
            if (count == 0) {
                throw new IllegalArgumentException("Model " + model.id() + " has no id2label in config.json: a fine-tuned"
                        + " classifier needs its labels there (or use --labels for zero-shot).");
            }
            this.labels = model.files().config().labels(count);
        }

        @Override public List<String> labels() { return labels; }
        @Override public boolean multiLabel() { return multiLabel; }
        @Override public String modelId() { return model.id(); }
        @Override public int countTokens(String text) { return model.tokenizer().encode(text).length(); }

        @Override
        public PreparedText prepare(String text) {
            Encoding encoding = model.tokenizer().encode(text);
            return new PreparedText(text, encoding.length(), encoding);
        }

        /** Raw logits {@code [texts][labels]}, in input order. */
        public float[][] logits(List<String> texts) {
            Encoding[] enc = new Encoding[texts.size()];
            for (int i = 0; i < enc.length; i++) enc[i] = model.tokenizer().encode(texts.get(i));
            return logits(enc);
        }

        private float[][] logits(Encoding[] enc) {
            for (Encoding encoding : enc) {
                if (encoding.truncated() && overflow == Overflow.REJECT) throw new TextTooLongException(model.tokenizer().maxLength());
            }
            float[][] out = new float[enc.length][];
            Batches.run(model, budget, enc, (group, batch, result) -> {
                if (result.logits() == null) {
                    throw new IllegalStateException("Model " + model.id() + " gives no logits: it is not a sequence classifier"
                            + " (use --labels for zero-shot classification with an embedding model).");
                }
                int n = result.logits().dim(1);
                if (n != labels.size()) {
                    throw new IllegalStateException("Model " + model.id() + " gives " + n + " logits but config.json names "
                            + labels.size() + " labels: fix id2label.");
                }
                for (int g = 0; g < group.length; g++) {
                    out[group[g]] = java.util.Arrays.copyOfRange(result.logits().data(), g * n, (g + 1) * n);
                    for (float x : out[group[g]]) {
                        if (!Float.isFinite(x)) throw new ArithmeticException("The model produced a non-finite logit.");
                    }
                }
            });
            return out;
        }

        @Override
        public float[][] scores(List<String> texts) {
            return probabilities(logits(texts));
        }

        @Override
        public float[][] scoresPrepared(List<PreparedText> texts) {
            Encoding[] enc = new Encoding[texts.size()];
            for (int i = 0; i < enc.length; i++) {
                PreparedText text = texts.get(i);
                enc[i] = text.encoding() != null ? text.encoding() : model.tokenizer().encode(text.text());
            }
            return probabilities(logits(enc));
        }

        /** Softmax per row, or sigmoid per label for a multi-label model; in place. */
        private float[][] probabilities(float[][] logits) {
            for (float[] row : logits) {
                if (multiLabel) {
                    for (int j = 0; j < row.length; j++) row[j] = (float) (1 / (1 + Math.exp(-row[j])));
                } else {
                    dev.streamformer.tensor.Kernels.softmaxInPlace(row, 0, row.length);
                }
            }
            return logits;
        }
    }

    /**
     * Zero-shot by label descriptions: each description is embedded once; a text's similarity to a label is the cosine
     * of its embedding with the description's (embeddings are L2-normalised, so a dot product), in [-1, 1]. Its score
     * for a label is {@code softmax(SCALE · similarity)} over the labels: a probability, summing to 1 over the labels
     * given, comparable with a fine-tuned model's. {@link #SCALE} 20 is the scale sentence-transformers models are
     * trained with (MultipleNegativesRankingLoss), so the softmax is the distribution their training objective models.
     */
    public static final class ZeroShot implements Classifier {
        /** The inverse temperature of the softmax over cosine similarities. */
        public static final float SCALE = 20f;

        private final EmbedTask embedder;
        private final List<String> labels;
        private final float[][] descriptions;

        /** @param labelDescriptions label → description, in the order to report */
        public ZeroShot(EmbedTask embedder, java.util.LinkedHashMap<String, String> labelDescriptions) {
            this.embedder = embedder;
            this.labels = List.copyOf(labelDescriptions.keySet());
            this.descriptions = normalized(embedder.embed(List.copyOf(labelDescriptions.values())));
        }

        /**
         * Parses {@code "sports=a sports story,business=news about business, companies and markets"}: a comma starts a
         * new label only when a {@code label=} follows it, so descriptions may contain commas.
         */
        public static java.util.LinkedHashMap<String, String> parse(String spec) {
            var map = new java.util.LinkedHashMap<String, String>();
            for (String part : spec.split(",(?=[^,=]+=)")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException("--labels '" + part.trim() + "' gives no description: write each label as"
                            + " LABEL=DESCRIPTION, e.g. --labels \"sports=a story about sports,business=news about business\".");
                }
                map.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
            if (map.size() < 2) {
                throw new IllegalArgumentException("--labels needs at least two labels, e.g. --labels \"sports=a story about sports,"
                        + "business=news about business\".");
            }
            return map;
        }

        @Override public List<String> labels() { return labels; }
        @Override public boolean multiLabel() { return false; }
        @Override public String modelId() { return embedder.modelId(); }
        @Override public int countTokens(String text) { return embedder.countTokens(text); }

        @Override public PreparedText prepare(String text) { return embedder.prepare(text); }

        @Override
        public float[][] scoresPrepared(List<PreparedText> texts) {
            return probabilities(similaritiesPrepared(texts));
        }

        /** Probabilities per label: {@code softmax(SCALE · cosine)}. */
        @Override
        public float[][] scores(List<String> texts) {
            return probabilities(similarities(texts));
        }

        /** {@code softmax(SCALE · similarity)} per row (a new array; the similarities are left as they are). */
        public static float[][] probabilities(float[][] similarities) {
            float[][] out = new float[similarities.length][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new float[similarities[i].length];
                for (int j = 0; j < out[i].length; j++) out[i][j] = SCALE * similarities[i][j];
                dev.streamformer.tensor.Kernels.softmaxInPlace(out[i], 0, out[i].length);
            }
            return out;
        }

        /** The cosine similarity of each text with each label description, {@code [texts][labels]}, in [-1, 1]. */
        public float[][] similarities(List<String> texts) {
            return similaritiesTo(embedder.embed(texts));
        }

        /** {@link #similarities} of prepared texts, from the encodings they keep. */
        public float[][] similaritiesPrepared(List<PreparedText> texts) {
            return similaritiesTo(embedder.embedPrepared(texts));
        }

        private float[][] similaritiesTo(float[][] embeddings) {
            float[][] vectors = normalized(embeddings);
            float[][] out = new float[vectors.length][labels.size()];
            for (int i = 0; i < vectors.length; i++) {
                for (int j = 0; j < labels.size(); j++) {
                    out[i][j] = dev.streamformer.tensor.Kernels.dot(vectors[i], 0, descriptions[j], 0, vectors[i].length);
                }
            }
            return out;
        }

        private static float[][] normalized(float[][] v) {
            for (float[] row : v) Pooler.l2Normalize(row);
            return v;
        }
    }
}
