package dev.streamformer.task;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.engine.Engine;
import dev.streamformer.engine.TokenBatch;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.tensor.SafeTensors;
import dev.streamformer.tokenize.Encoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --task entities} on a token classifier built from tiny-xlmr (a random head over labels O, B-PER, I-PER, B-LOC,
 * I-LOC; see {@link XlmrHeads}): the ONNX graph proven against the head computed from the plain encoder; the java engine's
 * per-token logits against ONNX Runtime's; the task on both engines against a port of transformers'
 * TokenClassificationPipeline postprocess (written here from its source) run on ORT's logits and Hugging Face tokenizers'
 * tokens and offsets; and the B-/I- and word rules on hand-made label sequences.
 */
class EntitiesTaskTest {

    private static final String[] LABELS = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};
    private static List<String> texts;

    @BeforeAll
    static void readTexts() throws IOException {
        ObjectMapper json = new ObjectMapper();
        texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../shared/reference/ref_tiny-xlmr.jsonl"))) {
            if (!line.isBlank()) texts.add(json.readTree(line).get("text").asText());
        }
    }

    @Test
    void theOnnxHeadIsALinearLayerOnEveryToken() throws Exception {
        Path dir = XlmrHeads.entities();
        TokenBatch batch = TokenBatch.pad(djlIds(dir, texts.subList(0, 8)).toArray(int[][]::new), null, 1);
        try (OnnxEngine head = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU);
             OnnxEngine plain = new OnnxEngine(XlmrHeads.TINY_XLMR.resolve("model.onnx"), 1, OnnxEngine.Device.CPU);
             SafeTensors weights = SafeTensors.open(dir.resolve("model.safetensors"))) {
            float[] logits = head.run(batch).logits().data();                 // (batch, T, 5)
            float[] hidden = plain.run(batch).hiddenStates().data();          // (batch, T, 64)
            float[] w = weights.floats("classifier.weight"), b = weights.floats("classifier.bias");
            double max = 0;
            for (int bt = 0; bt < batch.batchSize() * batch.seqLen(); bt++) {
                if (batch.attentionMask()[bt] == 0) continue;
                for (int l = 0; l < 5; l++) {
                    double v = b[l];
                    for (int d = 0; d < 64; d++) v += w[l * 64 + d] * hidden[bt * 64 + d];
                    max = Math.max(max, Math.abs(v - logits[bt * 5 + l]));
                }
            }
            System.out.printf("entities head: max |ORT graph - head computed from ORT encoder| = %.3g%n", max);
            assertTrue(max <= 1e-5, "the ONNX head differs by " + max);
        }
    }

    @Test
    void javaEngineTokenLogitsMatchOnnxRuntime() throws Exception {
        Path dir = XlmrHeads.entities();
        List<int[]> ids = djlIds(dir, texts);
        TokenBatch batch = TokenBatch.pad(ids.toArray(int[][]::new), null, 1);
        Engine java = LoadedModel.load(dir.toString(), new EngineOptions("java", "cpu", 1)).engine();
        try (OnnxEngine ort = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            float[] expected = ort.run(batch).logits().data();
            var actual = java.run(batch).logits();
            assertEquals(List.of(batch.batchSize(), batch.seqLen(), 5), List.of(actual.dim(0), actual.dim(1), actual.dim(2)));
            double max = 0, largest = 0;
            for (int i = 0; i < expected.length; i++) {
                if (batch.attentionMask()[i / 5] == 0) continue;
                max = Math.max(max, Math.abs(expected[i] - actual.data()[i]));
                largest = Math.max(largest, Math.abs(expected[i]));
            }
            System.out.printf("entities: max |java token logit - ORT| = %.3g over %d texts (largest |logit| %.3g)%n", max, ids.size(), largest);
            // the random head (weights ~N(0, 1)) multiplies the encoder's float error (~1e-5) by about |logit|
            assertTrue(max <= 1e-5 * Math.max(1, largest), "token logits differ by " + max);
        }
    }

    @ParameterizedTest
    @CsvSource({"java, simple", "onnx, simple", "java, first", "onnx, first"})
    void entitiesMatchThePipelinesPostprocessOnOnnxRuntimeLogits(String engine, String aggregation) throws Exception {
        Path dir = XlmrHeads.entities();
        EntitiesTask task = new EntitiesTask(LoadedModel.load(dir.toString(), new EngineOptions(engine, "cpu", 1)),
                new TokenBudget(1024, 8), Overflow.TRUNCATE, EntitiesTask.Aggregation.parse(aggregation));
        List<List<EntitiesTask.Entity>> actual = task.entities(texts);
        int entities = 0;
        double maxScore = 0;
        System.setProperty("ai.djl.offline", "true");
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve("tokenizer.json"))
                .optPadding(false).optTruncation(true).optMaxLength(512).build();
             OnnxEngine ort = new OnnxEngine(dir.resolve("model.onnx"), 1, OnnxEngine.Device.CPU)) {
            for (int i = 0; i < texts.size(); i++) {
                ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(texts.get(i));
                int[] ids = new int[e.getIds().length];
                for (int t = 0; t < ids.length; t++) ids[t] = (int) e.getIds()[t];
                float[] logits = ort.run(TokenBatch.pad(new int[][] {ids}, null, 1)).logits().data();
                List<Object[]> expected = PipelinePort.postprocess(texts.get(i), e, logits, aggregation.equals("first"));
                List<EntitiesTask.Entity> got = actual.get(i);
                assertEquals(expected.size(), got.size(), "text " + i + ": " + got);
                for (int k = 0; k < got.size(); k++) {
                    Object[] want = expected.get(k);
                    assertEquals(want[0], got.get(k).entity(), "text " + i + " entity " + k);
                    assertEquals(want[2], got.get(k).start(), "text " + i + " entity " + k);
                    assertEquals(want[3], got.get(k).end(), "text " + i + " entity " + k);
                    maxScore = Math.max(maxScore, Math.abs((double) want[1] - got.get(k).score()));
                }
                entities += got.size();
            }
        }
        System.out.printf("entities %s on %s: %d entities in %d texts as the pipeline port; max |score diff| = %.3g%n",
                aggregation, engine, entities, texts.size(), maxScore);
        assertTrue(entities > 20, "the random head should find entities");
        assertTrue(maxScore <= 1e-4, "scores differ by " + maxScore);
    }

    /**
     * Hand-made labels per token through the grouping rules: B-/I- join, B- after B- splits, and {@code first} overrules
     * a word's later tokens (transformers' example: micro|soft| B-ENT I-NAME becomes microsoft B-ENT).
     */
    @Test
    void bAndIPrefixesAndWordsGroupAsThePipelineSays() {
        LoadedModel model = LoadedModel.load(XlmrHeads.entities().toString(), new EngineOptions("onnx", "cpu", 1));
        String text = "Angela Merkel besuchte Neu Delhi";
        // per word: the label of its first token, then of its other tokens
        String[][] byWord = {{"B-PER", "I-PER"}, {"I-PER", "B-LOC"}, {"O", "O"}, {"B-LOC", "I-LOC"}, {"B-LOC", "I-LOC"}};
        Encoding e = model.tokenizer().encode(text);
        float[] logits = new float[e.length() * 5];
        boolean merkelSplit = false;
        for (int t = 0; t < e.length(); t++) {
            String label = "O";
            if (e.specialTokensMask()[t] == 0) {
                int start = e.offsets()[t][0];
                int word = (int) text.substring(0, start).chars().filter(c -> c == ' ').count();
                boolean firstOfWord = start == 0 || text.charAt(start - 1) == ' ';
                label = byWord[word][firstOfWord ? 0 : 1];
                if (word == 1 && !firstOfWord) merkelSplit = true;
            }
            logits[t * 5 + List.of(LABELS).indexOf(label)] = 5f;
        }
        EntitiesTask first = new EntitiesTask(model, TokenBudget.DEFAULT, Overflow.TRUNCATE, EntitiesTask.Aggregation.FIRST);
        List<EntitiesTask.Entity> byFirst = first.entitiesOf(text, e, logits);
        assertEquals(List.of("PER:Angela Merkel:0-13", "LOC:Neu:23-26", "LOC:Delhi:27-32"),
                byFirst.stream().map(x -> x.entity() + ":" + x.word() + ":" + x.start() + "-" + x.end()).toList(), List.of(e.tokens()).toString());
        EntitiesTask simple = new EntitiesTask(model, TokenBudget.DEFAULT, Overflow.TRUNCATE, EntitiesTask.Aggregation.SIMPLE);
        List<EntitiesTask.Entity> bySimple = simple.entitiesOf(text, e, logits);
        assertEquals("PER", bySimple.getFirst().entity());
        assertEquals(0, bySimple.getFirst().start());
        // simple keeps Merkel's later tokens as their own LOC entity when the tokenizer splits the word
        assertEquals(merkelSplit, bySimple.stream().anyMatch(x -> x.entity().equals("LOC") && x.start() > 7 && x.end() <= 13),
                List.of(e.tokens()) + " -> " + bySimple);
    }

    @Test
    void refusesAModelThatClassifiesNoTokens() {
        LoadedModel reranker = LoadedModel.load(XlmrHeads.rerank().toString(), new EngineOptions("onnx", "cpu", 1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new EntitiesTask(reranker, TokenBudget.DEFAULT, Overflow.TRUNCATE, EntitiesTask.Aggregation.SIMPLE));
        assertTrue(e.getMessage().contains("token classifier"), e.getMessage());
    }

    private static List<int[]> djlIds(Path dir, List<String> some) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        List<int[]> out = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve("tokenizer.json"))
                .optPadding(false).optTruncation(true).optMaxLength(512).build()) {
            for (String text : some) {
                long[] ids = tokenizer.encode(text).getIds();
                int[] row = new int[ids.length];
                for (int i = 0; i < ids.length; i++) row[i] = (int) ids[i];
                out.add(row);
            }
        }
        return out;
    }

    /**
     * transformers' TokenClassificationPipeline.postprocess with aggregation_strategy simple or first, ported line by line
     * (gather_pre_entities → aggregate / aggregate_words → group_entities → drop "O") for a Unigram tokenizer (no
     * continuing_subword_prefix: the fallback word heuristic). Entities as {type, score, start, end}.
     */
    static final class PipelinePort {

        static List<Object[]> postprocess(String sentence, ai.djl.huggingface.tokenizers.Encoding e, float[] logits, boolean first) {
            int[] cps = sentence.codePoints().toArray();
            CharSpan[] spans = e.getCharTokenSpans();
            List<double[]> scores = new ArrayList<>();
            List<int[]> startEnd = new ArrayList<>();
            List<Boolean> isSubword = new ArrayList<>();
            for (int idx = 0; idx < e.getIds().length; idx++) {
                if (e.getSpecialTokenMask()[idx] == 1) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int l = 0; l < 5; l++) max = Math.max(max, logits[idx * 5 + l]);
                double sum = 0;
                double[] s = new double[5];
                for (int l = 0; l < 5; l++) sum += s[l] = Math.exp(logits[idx * 5 + l] - max);
                for (int l = 0; l < 5; l++) s[l] /= sum;
                int start = spans[idx].getStart(), end = spans[idx].getEnd();
                boolean sub = start > 0 && cps[start - 1] != ' ';
                if (e.getIds()[idx] == 3) sub = false;                       // <unk>
                scores.add(s);
                startEnd.add(new int[] {start, end});
                isSubword.add(sub);
            }
            // entities: {label index, score, start, end}
            List<double[]> entities = new ArrayList<>();
            for (int i = 0; i < scores.size(); i++) {
                if (first) {
                    int wordStart = i;
                    while (i + 1 < scores.size() && isSubword.get(i + 1)) i++;
                    int arg = argmax(scores.get(wordStart));
                    entities.add(new double[] {arg, scores.get(wordStart)[arg], startEnd.get(wordStart)[0], startEnd.get(i)[1]});
                } else {
                    int arg = argmax(scores.get(i));
                    entities.add(new double[] {arg, scores.get(i)[arg], startEnd.get(i)[0], startEnd.get(i)[1]});
                }
            }
            List<Object[]> groups = new ArrayList<>();
            List<double[]> disagg = new ArrayList<>();
            for (double[] entity : entities) {
                if (disagg.isEmpty()) { disagg.add(entity); continue; }
                String[] tag = tag(LABELS[(int) entity[0]]), last = tag(LABELS[(int) disagg.getLast()[0]]);
                if (tag[1].equals(last[1]) && !tag[0].equals("B")) {
                    disagg.add(entity);
                } else {
                    groups.add(group(disagg));
                    disagg = new ArrayList<>(List.of(entity));
                }
            }
            if (!disagg.isEmpty()) groups.add(group(disagg));
            return groups.stream().filter(g -> !g[0].equals("O")).toList();
        }

        private static Object[] group(List<double[]> entities) {
            String[] parts = LABELS[(int) entities.getFirst()[0]].split("-");
            double mean = entities.stream().mapToDouble(x -> x[1]).average().orElseThrow();
            return new Object[] {parts[parts.length - 1], mean, (int) entities.getFirst()[2], (int) entities.getLast()[3]};
        }

        private static String[] tag(String label) {
            if (label.startsWith("B-")) return new String[] {"B", label.substring(2)};
            if (label.startsWith("I-")) return new String[] {"I", label.substring(2)};
            return new String[] {"I", label};
        }

        private static int argmax(double[] s) {
            int best = 0;
            for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
            return best;
        }
    }
}
