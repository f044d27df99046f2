package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.chat.ChatTemplate;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.engine.java.decoder.Reference;
import dev.streamformer.task.InvalidInputException;
import dev.streamformer.tokenize.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat events through the generate task, against ../shared/reference/ref_tiny-decoders_greedy.jsonl's chat rows
 * (rendered by transformers' apply_chat_template rules, decoded by an independent numpy port): the event's
 * {@code messages} become the reference's rendered prompt, and greedy decoding gives the reference ids and text.
 */
class ChatGenerationTest {

    static GenerateTask chatTask(Path dir, boolean details) {
        ChatPrompt prompt = new ChatPrompt(ChatTemplate.fromModelDirectory(dir), new ChatPrompt.ChatSettings(true, null, Map.of()),
                PromptTemplate.IDENTITY);
        return new GenerateTask(dir.getFileName().toString(), LanguageModels.load(dir), Tokenizer.fromFile(dir.resolve("tokenizer.json")),
                GenerationConfig.greedy(16), prompt, details, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen3"})
    void messagesEventsGiveTheReferencePromptIdsAndText(String model) {
        List<JsonNode> rows = Reference.rows("ref_tiny-decoders_greedy.jsonl").stream()
                .filter(r -> r.get("model").asText().equals(model) && r.get("kind").asText().equals("chat")).toList();
        assertEquals(6, rows.size(), "chat rows for " + model);
        try (GenerateTask task = chatTask(Reference.model(model), true)) {
            List<String> inputs = new ArrayList<>();
            for (JsonNode row : rows) {
                ObjectNode event = JsonNodeFactory.instance.objectNode();
                event.set("messages", row.get("messages"));
                String input = task.input().read(event, null);
                assertEquals(row.get("rendered").asText(), input, model + ": rendered prompt");
                assertEquals(row.get("prompt_ids").size(), task.countTokens(input), model + ": prompt tokens");
                inputs.add(input);
            }
            List<ObjectNode> out = task.run(inputs);
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = rows.get(i), result = out.get(i);
                int[] ids = new int[result.get("tokens").size()];
                for (int t = 0; t < ids.length; t++) ids[t] = result.get("tokens").get(t).get("id").asInt();
                assertArrayEquals(Reference.ints(row.get("greedy_ids")), ids, model + " chat row " + i);
                assertEquals(row.get("text_skip_special").asText(), result.get("generated").asText(), model + " chat row " + i + ": text");
                for (JsonNode t : result.get("tokens")) {
                    double logprob = t.get("logprob").asDouble();
                    assertTrue(logprob <= 0 && logprob > -30, "logprob " + logprob);
                }
            }
        }
    }

    @Test
    void aTextEventInChatModeIsOneUserTurnAfterTheSystemMessage() {
        Path dir = Reference.model("tiny-llama3");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        ChatPrompt prompt = new ChatPrompt(template, new ChatPrompt.ChatSettings(true, "Be brief.", Map.of()), new PromptTemplate("Summarize: {text}"));
        String rendered = prompt.read(JsonNodeFactory.instance.objectNode().put("text", "rates rose"), "rates rose");
        assertEquals(template.render(List.of(dev.streamformer.chat.ChatMessage.system("Be brief."),
                dev.streamformer.chat.ChatMessage.user("Summarize: rates rose")), true), rendered);
    }

    @Test
    void refusalsNameTheFix() {
        Path dir = Reference.model("tiny-llama3");
        ChatPrompt off = new ChatPrompt(null, ChatPrompt.ChatSettings.NONE, PromptTemplate.IDENTITY);
        var e = assertThrows(InvalidInputException.class, () -> off.read(JsonNodeFactory.instance.objectNode(), null));
        assertTrue(e.getMessage().contains("add --chat"), e.getMessage());
        ChatPrompt on = new ChatPrompt(ChatTemplate.fromModelDirectory(dir), new ChatPrompt.ChatSettings(true, null, Map.of()), PromptTemplate.IDENTITY);
        ObjectNode bad = JsonNodeFactory.instance.objectNode();
        bad.putArray("messages").addObject().put("role", "user");
        e = assertThrows(InvalidInputException.class, () -> on.read(bad, null));
        assertEquals("bad-messages", e.reason());
    }

    @Test
    void aTemplateThatRaisesGivesItsOwnMessage() {
        // Gemma 3's template refuses two user turns in a row
        Path gemma = Reference.SHARED.resolve("tokenizers/gemma3");
        ChatPrompt prompt = new ChatPrompt(ChatTemplate.fromModelDirectory(gemma), new ChatPrompt.ChatSettings(true, null, Map.of()), PromptTemplate.IDENTITY);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        var messages = event.putArray("messages");
        messages.addObject().put("role", "user").put("content", "a");
        messages.addObject().put("role", "user").put("content", "b");
        var e = assertThrows(InvalidInputException.class, () -> prompt.read(event, null));
        assertEquals("chat-template", e.reason());
        assertTrue(e.getMessage().contains("Conversation roles must alternate user/assistant/user/assistant"), e.getMessage());
    }
}
