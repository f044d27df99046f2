package dev.streamformer.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.tokenize.Encoding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code rerank} task: a cross-encoder scores how well each passage answers a query, and the passages come out
 * sorted by that score.
 *
 * <p>An event holds a {@code query} (or the stage's {@code --query} stands in for it) and a list of {@code passages}
 * (or its text field is the one passage). Steps: tokenize each (query, passage) pair as one input, as the tokenizer's
 * post-processor says (XLM-R: {@code <s> query </s></s> passage </s>}; BERT: {@code [CLS] query [SEP] passage [SEP]}),
 * truncating the longer text first → plan token-budget batches over the pairs of all events at once → run the
 * sequence-classification head (one logit per pair) → {@code score = sigmoid(logit)}, what sentence-transformers'
 * CrossEncoder and TEI's {@code /rerank} return for a one-label model → each event's passages sorted by score, best first.
 *
 * <p>Adds {@code ranking: [{index, passage, score}, …]}, {@code index} being the passage's place in the event.
 */
public final class RerankTask implements Task {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadedModel model;
    private final TokenBudget budget;
    private final Overflow overflow;
    private final String defaultQuery;

    /** @param defaultQuery the query of events that carry none ({@code --query}), or null: every event must have one */
    public RerankTask(LoadedModel model, TokenBudget budget, Overflow overflow, String defaultQuery) {
        this.model = model;
        this.budget = budget;
        this.overflow = overflow;
        this.defaultQuery = defaultQuery == null || defaultQuery.isBlank() ? null : defaultQuery;
        var config = model.files().config();
        int labels = config.json().path("id2label").size();
        if (!config.isSequenceClassifier() || labels != 1) {
            throw new IllegalArgumentException("--task rerank needs a cross-encoder (a …ForSequenceClassification model with one"
                    + " label in config.json), and " + model.id() + " is " + (config.isSequenceClassifier()
                    ? "a classifier with " + labels + " labels" : "not one") + ": use a reranker such as bge-reranker.");
        }
    }

    @Override public String name() { return "rerank"; }

    @Override public String modelId() { return model.id(); }

    /** One event's work: the query and its passages. */
    public record Query(String query, List<String> passages) {

        /** The form in which an event's input travels to {@link #run} (and into the inference cache): compact JSON. */
        String encode() {
            ObjectNode node = JSON.createObjectNode().put("query", query);
            passages.forEach(node.putArray("passages")::add);
            return node.toString();
        }

        static Query decode(String input) {
            try {
                JsonNode node = JSON.readTree(input);
                List<String> passages = new ArrayList<>();
                node.get("passages").forEach(p -> passages.add(p.asText()));
                return new Query(node.get("query").asText(), passages);
            } catch (JsonProcessingException | NullPointerException e) {
                throw new IllegalArgumentException("rerank input is not {query, passages}: " + input, e);
            }
        }
    }

    @Override
    public EventInput input() {
        return new EventInput() {
            @Override
            public boolean readsWithoutText(ObjectNode event) { return event.has("passages"); }

            @Override
            public String read(ObjectNode event, String text) {
                return new Query(query(event), passages(event, text)).encode();
            }
        };
    }

    private String query(ObjectNode event) {
        JsonNode q = event.get("query");
        if (q == null || q.isNull()) {
            if (defaultQuery != null) return defaultQuery;
            throw new InvalidInputException("missing-query", "The event has no 'query' field and the stage no --query: add the"
                    + " question the passages are ranked for.");
        }
        if (!q.isTextual() || q.asText().isBlank()) {
            throw new InvalidInputException("missing-query", "The event's 'query' must be a non-empty string.");
        }
        return q.asText();
    }

    private static List<String> passages(ObjectNode event, String text) {
        JsonNode list = event.get("passages");
        if (list == null || list.isNull()) return List.of(text);      // the text field is the one passage
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidInputException("bad-passages", "The event's 'passages' must be a non-empty list of strings.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode p : list) {
            if (!p.isTextual() || p.asText().isBlank()) {
                throw new InvalidInputException("bad-passages", "Every entry of 'passages' must be a non-empty string.");
            }
            out.add(p.asText());
        }
        return out;
    }

    @Override
    public int countTokens(String input) {
        Query q = Query.decode(input);
        int n = 0;
        for (String passage : q.passages()) n += model.tokenizer().encodePair(q.query(), passage).length();
        return n;
    }

    /** One scored passage. */
    public record Scored(int index, String passage, float score) {}

    /** Scores every passage of every query; each list sorted best first. */
    public List<List<Scored>> rerank(List<Query> queries) {
        List<Encoding> pairs = new ArrayList<>();
        for (Query q : queries) {
            for (String passage : q.passages()) {
                Encoding e = model.tokenizer().encodePair(q.query(), passage);
                if (e.truncated() && overflow == Overflow.REJECT) throw new TextTooLongException(model.tokenizer().maxLength());
                pairs.add(e);
            }
        }
        float[] logits = new float[pairs.size()];                     // one per pair, in order
        Batches.run(model, budget, pairs.toArray(Encoding[]::new), (group, batch, out) -> {
            if (out.logits() == null || out.logits().dim(1) != 1) {
                throw new IllegalStateException("Model " + model.id() + " gives no single logit per pair: it is not a cross-encoder.");
            }
            for (int g = 0; g < group.length; g++) logits[group[g]] = out.logits().data()[g];
        });
        List<List<Scored>> rankings = new ArrayList<>();
        int k = 0;
        for (Query q : queries) {
            List<Scored> ranking = new ArrayList<>();
            for (int i = 0; i < q.passages().size(); i++, k++) {
                if (!Float.isFinite(logits[k])) throw new ArithmeticException("The model produced a non-finite score.");
                ranking.add(new Scored(i, q.passages().get(i), sigmoid(logits[k])));
            }
            ranking.sort(Comparator.comparingDouble(Scored::score).reversed());   // stable: ties keep the event's order
            rankings.add(ranking);
        }
        return rankings;
    }

    /** The logistic function: a logit to a score in (0, 1). */
    static float sigmoid(float logit) {
        return (float) (1.0 / (1.0 + Math.exp(-logit)));
    }

    @Override
    public List<ObjectNode> run(List<String> inputs) {
        List<List<Scored>> rankings = rerank(inputs.stream().map(Query::decode).toList());
        List<ObjectNode> results = new ArrayList<>();
        for (List<Scored> ranking : rankings) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            ArrayNode array = node.putArray("ranking");
            for (Scored s : ranking) array.addObject().put("index", s.index()).put("passage", s.passage()).put("score", s.score());
            results.add(node);
        }
        return results;
    }

    @Override
    public String toString() { return "rerank(" + model.id() + (defaultQuery != null ? ", query given" : "") + ")"; }
}
