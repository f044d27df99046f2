package dev.streamformer.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Record-shape flags of the JSON Lines commands end to end through picocli, with real models. */
class CliRecordMappingTest {

    @Test
    void aGenerationPromptMayNameAnyFieldAndAMissingOneIsAnErrorLine() throws Exception {
        String model = "../shared/models/newsgpt-mini";
        CliTest.Run fields = CliTest.run("{\"title\": \"Markets\", \"text\": \"The company said\"}\n{\"text\": \"no title\"}\n",
                "generate", "--model", model, "--max-new-tokens", "6", "--template", "{title}: {text}");
        CliTest.Run literal = CliTest.run("{\"text\": \"The company said\"}\n",
                "generate", "--model", model, "--max-new-tokens", "6", "--template", "Markets: {text}");
        assertEquals(0, fields.exit(), fields.err());
        assertEquals(0, literal.exit(), literal.err());
        JsonNode a = fields.lines().get(0), b = literal.lines().get(0);
        assertEquals(b.get("prompt_tokens"), a.get("prompt_tokens"), "the same prompt");
        assertEquals(b.get("generated"), a.get("generated"), "greedy: the same continuation");
        assertEquals("missing-field", fields.lines().get(1).get("reason").asText());
    }

    @Test
    void textValuesGiveCompactTruncatedEmbeddings() throws Exception {
        CliTest.Run r = CliTest.run("{\"not\": \"parsed\"}\nplain words\n", "embed", "--value-format", "text",
                "--vector-encoding", "base64-f16", "--dimensions", "128");
        assertEquals(0, r.exit(), r.err());
        assertEquals(2, r.lines().size());
        assertEquals("{\"not\": \"parsed\"}", r.lines().get(0).get("text").asText(), "the whole line is the text");
        for (JsonNode line : r.lines()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(line.get("embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(2 * 128, bytes.remaining());
            double norm = 0;
            while (bytes.hasRemaining()) {
                float x = Float.float16ToFloat(bytes.getShort());
                norm += x * x;
            }
            assertTrue(Math.abs(norm - 1) < 1e-3, "scaled back to length 1: " + norm);
        }
    }
}
