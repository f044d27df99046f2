package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.engine.java.decoder.HuggingFaceDecoder;
import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.engine.java.decoder.T5Model;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generate stage end to end: text → template → tokens → generation → JSON fields. */
class GenerateTaskTest {

    @Test
    void t5IntentThroughATemplateGivesTheReferenceAnswers() {
        List<JsonNode> rows = Reference.rows("ref_t5-mini_greedy.jsonl").stream()
                .filter(r -> r.get("input").asText().startsWith("intent: ")).toList();
        assertTrue(rows.size() >= 5);
        DjlTokenizer tokenizer = DjlTokenizer.forModel(Reference.model("t5-mini"));
        try (GenerateTask task = new GenerateTask("t5-mini", T5Model.load(Reference.model("t5-mini")), tokenizer,
                GenerationConfig.greedy(24), new PromptTemplate("intent: {text}"), 4)) {
            List<String> texts = rows.stream().map(r -> r.get("input").asText().substring("intent: ".length())).toList();
            List<ObjectNode> out = task.run(texts);
            assertEquals(rows.size(), out.size());
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = rows.get(i);
                assertArrayEquals(Reference.ints(row.get("input_ids")), tokenizer.encode("intent: " + texts.get(i)).ids());
                assertEquals(row.get("greedy_text").asText(), out.get(i).get("generated").asText());
                assertEquals("stop", out.get(i).get("finish_reason").asText());
                assertEquals(row.get("input_ids").size(), out.get(i).get("prompt_tokens").asInt());
                assertEquals(row.get("greedy_ids").size(), out.get(i).get("generated_tokens").asInt());
                assertEquals(row.get("input_ids").size(), task.countTokens(texts.get(i)));
            }
        }
    }

    @Test
    void streamsTheSameTextItReturns() {
        JsonNode row = Reference.rows("ref_newsgpt-mini_open_prompts.jsonl").get(1);
        DjlTokenizer tokenizer = DjlTokenizer.forModel(Reference.model("newsgpt-mini"));
        assertArrayEquals(Reference.ints(row.get("prompt_ids")), tokenizer.encode(row.get("prompt").asText()).ids());
        try (GenerateTask task = new GenerateTask("newsgpt-mini", HuggingFaceDecoder.load(Reference.model("newsgpt-mini")), tokenizer,
                GenerationConfig.greedy(32), PromptTemplate.IDENTITY, 8)) {
            List<String> pieces = new ArrayList<>();
            ObjectNode out = task.stream(row.get("prompt").asText(), (i, piece) -> pieces.add(piece));
            assertEquals(row.get("text_until_eos").asText(), out.get("generated").asText());
            assertEquals(out.get("generated").asText(), String.join("", pieces));
            assertTrue(pieces.size() > 3, "text should arrive token by token");
        }
    }

    @Test
    void loadsModelAndOwnTokenizerFromTheDirectory() {
        // Streamformer's own tokenizer (Tokenizer.fromFile) end to end: ids and text as transformers gave them
        List<JsonNode> gptRows = Reference.rows("ref_newsgpt-mini_open_prompts.jsonl");
        try (GenerateTask task = GenerateTask.load(Reference.model("newsgpt-mini"), GenerationConfig.greedy(32),
                PromptTemplate.IDENTITY, 8)) {
            assertEquals(Reference.model("newsgpt-mini").toString(), task.modelId()); // the model as given, as on every task
            List<ObjectNode> out = task.run(gptRows.stream().map(r -> r.get("prompt").asText()).toList());
            for (int i = 0; i < gptRows.size(); i++) {
                assertEquals(gptRows.get(i).get("text_until_eos").asText(), out.get(i).get("generated").asText());
                assertEquals(gptRows.get(i).get("prompt_ids").size(), out.get(i).get("prompt_tokens").asInt());
            }
        }
        List<JsonNode> t5Rows = Reference.rows("ref_t5-mini_greedy.jsonl");
        try (GenerateTask task = GenerateTask.load(Reference.model("t5-mini"), GenerationConfig.greedy(24),
                PromptTemplate.IDENTITY, 8)) {
            List<ObjectNode> out = task.run(t5Rows.stream().map(r -> r.get("input").asText()).toList());
            for (int i = 0; i < t5Rows.size(); i++) {
                assertEquals(t5Rows.get(i).get("greedy_text").asText(), out.get(i).get("generated").asText());
                assertEquals(t5Rows.get(i).get("greedy_ids").size(), out.get(i).get("generated_tokens").asInt());
            }
        }
    }

    @Test
    void templateRefusesFieldsTheTaskCannotSee() {
        assertEquals("Summarize: rates rose", new PromptTemplate("Summarize: {text}").apply("rates rose"));
        var e = assertThrows(IllegalArgumentException.class, () -> new PromptTemplate("{title}: {text}"));
        assertTrue(e.getMessage().contains("{title} is not available"), e.getMessage());
    }
}
