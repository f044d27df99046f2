package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamformer.engine.java.decoder.HfToGguf;
import dev.streamformer.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code generate --model file.gguf}: tiny-llama3 written as an F32 GGUF file generates, from its own tokenizer and chat
 * template, the ids of ../shared/reference/ref_tiny-decoders_greedy.jsonl for a plain and a chat row; {@code tokenize
 * --chat} renders that chat row as the reference did.
 */
class GgufGenerateCommandTest {

    @Test
    void aGgufFileGeneratesTheReferenceIdsWithItsOwnTokenizerAndChatTemplate(@TempDir Path dir) throws Exception {
        Path gguf = HfToGguf.convert(Path.of("..", "shared", "models", "tiny-llama3"), dir.resolve("tiny-llama3.gguf"), GgmlType.F32).file();
        JsonNode plain = null, chat = null;
        for (String line : Files.readAllLines(Path.of("..", "shared", "reference", "ref_tiny-decoders_greedy.jsonl"))) {
            JsonNode row = CliTest.JSON.readTree(line);
            if (!row.get("model").asText().equals("tiny-llama3")) continue;
            if (plain == null && row.get("kind").asText().equals("plain")) plain = row;
            if (chat == null && row.get("kind").asText().equals("chat")) chat = row;
        }
        String events = CliTest.JSON.createObjectNode().put("text", plain.get("text").asText()) + "\n";
        check(plain, CliTest.run(events, "generate", "--model", gguf.toString(), "--max-new-tokens", "16", "--ignore-eos", "--details"));
        events = CliTest.JSON.createObjectNode().set("messages", chat.get("messages")) + "\n";
        check(chat, CliTest.run(events, "generate", "--model", gguf.toString(), "--chat", "--max-new-tokens", "16", "--ignore-eos",
                "--details"));

        // tokenize shows what the model is fed: the rendered chat and the reference's prompt ids
        CliTest.Run tokenized = CliTest.run(events, "tokenize", "--model", gguf.toString(), "--chat");
        assertEquals(0, tokenized.exit(), tokenized.err());
        assertEquals(chat.get("rendered").asText(), tokenized.lines().getFirst().get("rendered").asText());
        assertEquals(chat.get("prompt_ids"), tokenized.lines().getFirst().get("ids"));
    }

    private static void check(JsonNode row, CliTest.Run run) {
        assertEquals(0, run.exit(), run.err());
        JsonNode out = run.lines().getFirst();
        assertEquals(row.get("prompt_ids").size(), out.get("prompt_tokens").asInt(), "prompt tokens of " + out);
        List<Integer> ids = new ArrayList<>();
        out.get("tokens").forEach(t -> ids.add(t.get("id").asInt()));
        List<Integer> expected = new ArrayList<>();
        row.get("greedy_ids").forEach(t -> expected.add(t.asInt()));
        assertEquals(expected, ids, row.get("kind").asText() + " row");
        assertTrue(out.get("model").asText().endsWith(".gguf"));
    }
}
