package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ids recorded in ../shared/reference by Hugging Face tokenizers in Python (a newer release than the one DJL bundles):
 * chat prompts rendered by the Llama 3, Qwen3 and Gemma 3 chat templates and tokenized without adding special tokens,
 * the tiny decoders' plain and chat prompts with the decoded text of their greedy ids, and XLM-R's texts.
 */
class RecordedReferenceIdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void renderedChatTemplatesTokenizeWithoutSpecialTokensAsRecorded() throws IOException {
        Map<String, Tokenizer> tokenizers = Map.of(
                "llama3", Tokenizer.fromFile(SharedData.requireShared("models/tiny-llama3/tokenizer.json")),
                "qwen3", Tokenizer.fromFile(SharedData.requireShared("models/tiny-qwen3/tokenizer.json")),
                "gemma3", Tokenizer.fromFile(SharedData.requireShared("tokenizers/gemma3/tokenizer.json")));
        int compared = 0;
        for (JsonNode row : rows("reference/ref_chat_templates.jsonl")) {
            if (!row.has("ids")) {
                continue; // the template refused these messages (raise_exception): nothing was tokenized
            }
            Tokenizer tokenizer = tokenizers.get(row.path("tokenizer").asText());
            String rendered = row.path("rendered").asText();
            assertEquals(row.path("ids").toString(), json(tokenizer.encode(rendered, false).ids()), rendered);
            compared++;
        }
        assertEquals(23, compared, "rendered chat prompts compared");
    }

    @Test
    void tinyDecoderPromptsAndGreedyTextsAsRecorded() throws IOException {
        Map<String, Tokenizer> tokenizers = Map.of(
                "tiny-llama3", Tokenizer.fromFile(SharedData.requireShared("models/tiny-llama3/tokenizer.json")),
                "tiny-qwen2", Tokenizer.fromFile(SharedData.requireShared("models/tiny-qwen2/tokenizer.json")),
                "tiny-qwen3", Tokenizer.fromFile(SharedData.requireShared("models/tiny-qwen3/tokenizer.json")));
        int compared = 0;
        for (JsonNode row : rows("reference/ref_tiny-decoders_greedy.jsonl")) {
            Tokenizer tokenizer = tokenizers.get(row.path("model").asText());
            boolean chat = row.path("kind").asText().equals("chat");
            String prompt = row.path(chat ? "rendered" : "text").asText();
            assertEquals(row.path("prompt_ids").toString(), json(tokenizer.encode(prompt, !chat).ids()), prompt);
            int[] greedy = ids(row.path("greedy_ids"));
            assertEquals(row.path("text_skip_special").asText(), tokenizer.decode(greedy, true), prompt);
            compared++;
        }
        assertEquals(39, compared, "tiny decoder prompts compared");
    }

    @Test
    void xlmRobertaTextsAsRecorded() throws IOException {
        Tokenizer xlmr = Tokenizer.fromFile(SharedData.requireShared("models/tiny-xlmr/tokenizer.json"));
        int compared = 0;
        for (JsonNode row : rows("reference/ref_tiny-xlmr.jsonl")) {
            assertEquals(row.path("ids").toString(), json(xlmr.encode(row.path("text").asText()).ids()),
                    row.path("text").asText());
            compared++;
        }
        assertEquals(40, compared, "XLM-R texts compared");
    }

    private static Iterable<JsonNode> rows(String file) throws IOException {
        var lines = SharedData.linesOnNewline(SharedData.requireShared(file));
        var rows = new java.util.ArrayList<JsonNode>();
        for (String line : lines) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static int[] ids(JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).asInt();
        }
        return ids;
    }

    private static String json(int[] ids) {
        return Arrays.toString(ids).replace(" ", "");
    }
}
