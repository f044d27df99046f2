package dev.streamformer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.model.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code streamformer tokenize} on a folder that holds only tokenizer files (../shared/tokenizers/llama2: a
 * tokenizer.json, no weights): the ids it prints are Hugging Face tokenizers' (through DJL), while commands that run
 * a model still refuse a folder without weights.
 */
class TokenizeCommandTest {

    static {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private static final Path LLAMA2 = Path.of("..", "shared", "tokenizers", "llama2");

    private static final List<String> TEXTS = List.of("Kafka topics carry events.",
            "Die Katze schläft auf dem Sofa. 😺", "  leading spaces and 東京 tokens ");

    @Test
    void tokenizesWithAFolderOfTokenizerFilesOnly() throws Exception {
        assertTrue(Files.isRegularFile(LLAMA2.resolve("tokenizer.json")),
                "Missing " + LLAMA2.toAbsolutePath() + ": this test needs the project's shared data (../shared).");
        StringBuilder input = new StringBuilder();
        for (String text : TEXTS) {
            input.append(CliTest.JSON.createObjectNode().put("text", text)).append('\n');
        }
        CliTest.Run run = CliTest.run(input.toString(), "tokenize", "--model", LLAMA2.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(TEXTS.size(), run.lines().size(), run.err());
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(LLAMA2.resolve("tokenizer.json"),
                Map.of("truncation", "false", "padding", "false"))) {
            for (int i = 0; i < TEXTS.size(); i++) {
                long[] expected = reference.encode(TEXTS.get(i)).getIds();
                JsonNode ids = run.lines().get(i).path("ids");
                long[] actual = new long[ids.size()];
                for (int k = 0; k < actual.length; k++) {
                    actual[k] = ids.get(k).asLong();
                }
                assertEquals(Arrays.toString(expected), Arrays.toString(actual), TEXTS.get(i));
            }
        }
    }

    @Test
    void commandsThatRunAModelStillNeedWeights() {
        var e = assertThrows(ModelLoadException.class, () -> ModelRegistry.standard().resolve(LLAMA2.toString()));
        assertTrue(e.getMessage().contains("No *.onnx or *.safetensors"), e.getMessage());
    }

    @Test
    void chatEventsShowTheRenderedPromptAndItsIdsAsTransformersMakesThem() throws Exception {
        // Qwen3 rows of ref_chat_templates.jsonl that open the assistant's turn: the kwargs (enable_thinking) go through
        // --chat-template-kwargs, one run per distinct kwargs
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "shared", "reference", "ref_chat_templates.jsonl"))) {
            JsonNode row = CliTest.JSON.readTree(line);
            if (row.path("tokenizer").asText().equals("qwen3") && row.path("add_generation_prompt").asBoolean()) rows.add(row);
        }
        assertEquals(7, rows.size(), "qwen3 rows with add_generation_prompt in ref_chat_templates.jsonl");
        int compared = 0;
        for (boolean thinkingOff : new boolean[] {false, true}) {
            List<JsonNode> group = rows.stream().filter(r -> r.path("kwargs").has("enable_thinking") == thinkingOff).toList();
            StringBuilder input = new StringBuilder();
            for (JsonNode row : group) input.append(CliTest.JSON.createObjectNode().set("messages", row.get("messages")).toString()).append('\n');
            List<String> args = new ArrayList<>(List.of("tokenize", "--chat", "--model", Path.of("..", "shared", "models", "tiny-qwen3").toString()));
            if (thinkingOff) args.addAll(List.of("--chat-template-kwargs", "enable_thinking=false"));
            CliTest.Run run = CliTest.run(input.toString(), args.toArray(String[]::new));
            assertEquals(0, run.exit(), run.err());
            for (int i = 0; i < group.size(); i++) {
                assertEquals(group.get(i).get("rendered").asText(), run.lines().get(i).path("rendered").asText());
                assertEquals(group.get(i).get("ids").toString(), run.lines().get(i).path("ids").toString());
                compared++;
            }
        }
        assertEquals(rows.size(), compared);
    }
}
