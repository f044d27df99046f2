package dev.streamformer.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamformer.tokenize.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chat templates of real model folders against Hugging Face transformers' {@code apply_chat_template} (sandboxed
 * Jinja2): the rendered text must be identical, a template's {@code raise_exception} must surface with its message,
 * and our tokenizer must encode the text, without added special tokens, to the reference ids (HF tokenizers').
 */
class ChatTemplateReferenceTest {

    private static final Path SHARED = Path.of("..", "shared");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, ChatTemplate> TEMPLATES = new ConcurrentHashMap<>();
    private static final Map<Path, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    /** The 24 rows of ref_chat_templates.jsonl: Llama 3, Qwen3 (with and without thinking), Gemma 3 (with its error). */
    static Stream<Arguments> chatTemplateRows() {
        return rows("reference/ref_chat_templates.jsonl").stream().map(row -> Arguments.of(
                row.get("tokenizer").asText() + ": " + row.get("messages").size() + " messages, "
                        + row.get("kwargs") + (row.get("add_generation_prompt").asBoolean() ? "" : ", no generation prompt"),
                row));
    }

    /** The chat prompts of ref_tiny-decoders_greedy.jsonl: Llama 3, Qwen2 and Qwen3 folders, with the generation prompt. */
    static Stream<Arguments> tinyDecoderChatRows() {
        return rows("reference/ref_tiny-decoders_greedy.jsonl").stream()
                .filter(row -> row.get("kind").asText().equals("chat"))
                .map(row -> Arguments.of(row.get("model").asText() + ": " + row.get("messages").size() + " messages", row));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chatTemplateRows")
    void rendersAsTransformers(String name, JsonNode row) {
        Path folder = folderOf(row.get("tokenizer").asText());
        ChatTemplate template = TEMPLATES.computeIfAbsent(folder, ChatTemplate::fromModelDirectory);
        List<ChatMessage> messages = messages(row.get("messages"));
        boolean addGenerationPrompt = row.get("add_generation_prompt").asBoolean();
        Map<String, Object> kwargs = JSON.convertValue(row.get("kwargs"), Map.class);

        if (row.has("error")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> template.render(messages, addGenerationPrompt, kwargs));
            assertEquals(row.get("error").asText(), e.getMessage());
            return;
        }
        String rendered = template.render(messages, addGenerationPrompt, kwargs);
        assertEquals(row.get("rendered").asText(), rendered);
        assertArrayEquals(ints(row.get("ids")), tokenizer(folder).encode(rendered, false).ids(),
                "ids of the rendered prompt, encoded without added special tokens");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tinyDecoderChatRows")
    void rendersTinyDecoderPromptsAsTheReferences(String name, JsonNode row) {
        Path folder = requireShared("models/" + row.get("model").asText());
        ChatTemplate template = TEMPLATES.computeIfAbsent(folder, ChatTemplate::fromModelDirectory);
        Map<String, Object> kwargs = JSON.convertValue(row.get("kwargs"), Map.class);

        String rendered = template.render(messages(row.get("messages")), true, kwargs);

        assertEquals(row.get("rendered").asText(), rendered);
        assertArrayEquals(ints(row.get("prompt_ids")), tokenizer(folder).encode(rendered, false).ids());
    }

    @org.junit.jupiter.api.Test
    void referenceFilesHoldTheExpectedRows() {
        assertEquals(24, chatTemplateRows().count(), "ref_chat_templates.jsonl rows");
        assertTrue(tinyDecoderChatRows().count() >= 3, "chat rows in ref_tiny-decoders_greedy.jsonl");
    }

    /** The reference's {@code tokenizer} field names a folder of ../shared. */
    private static Path folderOf(String tokenizer) {
        return switch (tokenizer) {
            case "llama3" -> requireShared("models/tiny-llama3");
            case "qwen3" -> requireShared("models/tiny-qwen3");
            case "gemma3" -> requireShared("tokenizers/gemma3");
            default -> throw new IllegalArgumentException("no folder known for tokenizer " + tokenizer);
        };
    }

    private static Tokenizer tokenizer(Path folder) {
        return TOKENIZERS.computeIfAbsent(folder, f -> Tokenizer.fromFile(f.resolve("tokenizer.json")));
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        List<ChatMessage> out = new ArrayList<>();
        messages.forEach(m -> out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static List<JsonNode> rows(String relative) {
        try {
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(requireShared(relative))) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path requireShared(String relative) {
        Path p = SHARED.resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("Missing " + p.toAbsolutePath()
                    + ": the chat template reference tests need the project's shared data next to the checkout (../shared).");
        }
        return p;
    }
}
