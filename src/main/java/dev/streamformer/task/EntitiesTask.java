package dev.streamformer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.tokenize.Encoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code entities} task: a token classifier ({@code …ForTokenClassification}, e.g. NER) labels every token, and the
 * labels are grouped into entities the way Hugging Face's token-classification pipeline does.
 *
 * <p>Steps: tokenize → token-budget batches → logits {@code [batch, seq, labels]} → softmax per token → drop special
 * tokens → aggregate:
 * <ul>
 *   <li>{@code simple}: each token keeps its best label and score;</li>
 *   <li>{@code first}: tokens are first joined into words and a word takes the label of its first token (so a word is
 *       never split between entities). A token continues a word when the tokenizer marks subwords
 *       ({@code continuing_subword_prefix}, WordPiece's {@code ##}: the token is longer than its text) or, for other
 *       tokenizers (SentencePiece), when the character before it is not a space — the pipeline's own fallback.</li>
 * </ul>
 * then adjacent tokens (or words) of the same entity type join one entity unless the next one starts with {@code B-}
 * ({@code B-PER I-PER} → one {@code PER}; {@code B-PER B-PER} → two), its score being the mean of theirs; entities
 * labelled {@code O} are left out.
 *
 * <p>Adds {@code entities: [{entity, score, word, start, end}, …]}; {@code start}/{@code end} count Unicode code points of
 * the text, as the pipeline's do.
 */
public final class EntitiesTask implements Task {

    /** Hugging Face's {@code aggregation_strategy} values we implement. */
    public enum Aggregation {
        SIMPLE, FIRST;

        public static Aggregation parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown aggregation '" + s + "': use simple or first.");
            }
        }
    }

    private final LoadedModel model;
    private final TokenBudget budget;
    private final Overflow overflow;
    private final Aggregation aggregation;
    private final List<String> labels;
    private final boolean marksSubwords;   // the tokenizer model has a continuing_subword_prefix (WordPiece's ##)
    private final int unkId;

    public EntitiesTask(LoadedModel model, TokenBudget budget, Overflow overflow, Aggregation aggregation) {
        this.model = model;
        this.budget = budget;
        this.overflow = overflow;
        this.aggregation = aggregation == null ? Aggregation.SIMPLE : aggregation;
        var config = model.files().config();
        int count = config.json().path("id2label").size();
        if (config.architectures().stream().noneMatch(a -> a.endsWith("ForTokenClassification")) || count == 0) {
            throw new IllegalArgumentException("--task entities needs a token classifier (a …ForTokenClassification model with"
                    + " id2label in config.json), and " + model.id() + " is not one: use a NER model.");
        }
        this.labels = config.labels(count);
        JsonNode tokenizerModel = readTokenizerModel();
        this.marksSubwords = !tokenizerModel.path("continuing_subword_prefix").asText("").isEmpty();
        this.unkId = tokenizerModel.has("unk_id") ? tokenizerModel.path("unk_id").asInt(-1)         // Unigram
                : model.tokenizer().tokenToId(tokenizerModel.path("unk_token").asText("\0"));       // WordPiece, BPE
    }

    private JsonNode readTokenizerModel() {
        try {
            return new ObjectMapper().readTree(model.files().tokenizer().toFile()).path("model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String name() { return "entities"; }

    @Override public String modelId() { return model.id(); }

    @Override public int countTokens(String text) { return model.tokenizer().encode(text).length(); }

    /** One entity: its type (without B-/I-), mean score, text and {@code [start, end)} in code points. */
    public record Entity(String entity, float score, String word, int start, int end) {}

    /** A token (or, for {@code first}, a word) with its label: the pipeline's intermediate "entity". */
    private record Labelled(String label, float score, List<Integer> ids, int start, int end) {}

    public List<List<Entity>> entities(List<String> texts) {
        Encoding[] encodings = new Encoding[texts.size()];
        for (int i = 0; i < encodings.length; i++) {
            encodings[i] = model.tokenizer().encode(texts.get(i));
            if (encodings[i].truncated() && overflow == Overflow.REJECT) throw new TextTooLongException(model.tokenizer().maxLength());
        }
        List<List<Entity>> out = new ArrayList<>();
        for (int i = 0; i < encodings.length; i++) out.add(null);
        Batches.run(model, budget, encodings, (group, batch, result) -> {
            if (result.logits() == null || result.logits().shape().length != 3 || result.logits().dim(2) != labels.size()) {
                throw new IllegalStateException("Model " + model.id() + " gives no [batch, seq, " + labels.size() + "] logits: it is not a"
                        + " token classifier with the labels of its config.json.");
            }
            int seq = result.logits().dim(1), n = labels.size();
            for (int g = 0; g < group.length; g++) {
                float[] logits = java.util.Arrays.copyOfRange(result.logits().data(), g * seq * n, (g + 1) * seq * n);
                out.set(group[g], entitiesOf(texts.get(group[g]), encodings[group[g]], logits));
            }
        });
        return out;
    }

    /** The pipeline's postprocess for one text; {@code logits [seq, labels]} (seq ≥ the encoding's length). */
    List<Entity> entitiesOf(String text, Encoding e, float[] logits) {
        int n = labels.size();
        int[] codePoints = text.codePoints().toArray();
        List<Labelled> tokens = new ArrayList<>();
        List<float[]> scores = new ArrayList<>();
        List<Boolean> subword = new ArrayList<>();
        for (int t = 0; t < e.length(); t++) {
            if (e.specialTokensMask()[t] == 1) continue;
            float[] p = softmax(logits, t * n, n);
            int best = argmax(p);
            int start = e.offsets()[t][0], end = e.offsets()[t][1];
            boolean isSubword = marksSubwords
                    ? e.tokens()[t].codePointCount(0, e.tokens()[t].length()) != end - start   // "##ing" vs "ing"
                    : start > 0 && codePoints[start - 1] != ' ';                   // the pipeline's fallback heuristic
            if (e.ids()[t] == unkId) isSubword = false;
            tokens.add(new Labelled(labels.get(best), p[best], List.of(e.ids()[t]), start, end));
            scores.add(p);
            subword.add(isSubword);
        }
        List<Labelled> units = aggregation == Aggregation.SIMPLE ? tokens : words(tokens, scores, subword);
        List<Entity> entities = new ArrayList<>();
        for (List<Labelled> group : groups(units)) {
            String type = group.getFirst().label().substring(group.getFirst().label().lastIndexOf('-') + 1);   // B-PER -> PER
            if (type.equals("O")) continue;                                                                    // ignore_labels
            double mean = group.stream().mapToDouble(Labelled::score).average().orElse(0);
            List<Integer> ids = group.stream().flatMap(l -> l.ids().stream()).toList();
            String word = model.tokenizer().decode(ids.stream().mapToInt(Integer::intValue).toArray());
            entities.add(new Entity(type, (float) mean, word, group.getFirst().start(), group.getLast().end()));
        }
        return entities;
    }

    /** {@code first}: tokens joined into words (a subword continues the word before it); a word takes its first token's label. */
    private static List<Labelled> words(List<Labelled> tokens, List<float[]> scores, List<Boolean> subword) {
        List<Labelled> words = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Labelled first = tokens.get(i);
            List<Integer> ids = new ArrayList<>(first.ids());
            int end = first.end();
            while (i + 1 < tokens.size() && subword.get(i + 1)) {
                i++;
                ids.addAll(tokens.get(i).ids());
                end = tokens.get(i).end();
            }
            words.add(new Labelled(first.label(), first.score(), ids, first.start(), end));
        }
        return words;
    }

    /** Adjacent units of the same type, a {@code B-} starting a new group; labels without B-/I- count as I-. */
    private static List<List<Labelled>> groups(List<Labelled> units) {
        List<List<Labelled>> groups = new ArrayList<>();
        for (Labelled u : units) {
            boolean begins = u.label().startsWith("B-");
            if (!groups.isEmpty() && !begins && type(groups.getLast().getLast().label()).equals(type(u.label()))) {
                groups.getLast().add(u);
            } else {
                groups.add(new ArrayList<>(List.of(u)));
            }
        }
        return groups;
    }

    /** The tag of a label: {@code PER} for {@code B-PER} and {@code I-PER}, the label itself otherwise. */
    private static String type(String label) {
        return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
    }

    private static float[] softmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[from + i]);
        double sum = 0;
        double[] exp = new double[n];
        for (int i = 0; i < n; i++) sum += exp[i] = Math.exp(logits[from + i] - max);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float) (exp[i] / sum);
        return p;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        List<ObjectNode> results = new ArrayList<>();
        for (List<Entity> found : entities(texts)) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            ArrayNode array = node.putArray("entities");
            for (Entity en : found) {
                array.addObject().put("entity", en.entity()).put("score", en.score()).put("word", en.word())
                        .put("start", en.start()).put("end", en.end());
            }
            results.add(node);
        }
        return results;
    }

    @Override
    public String toString() { return "entities(" + model.id() + ", " + aggregation.name().toLowerCase(Locale.ROOT) + ")"; }
}
