package dev.streamformer.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamformer.event.EventParser;
import dev.streamformer.event.InvalidEventException;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record value parser of every pipeline: any bytes give either a valid event or an {@link InvalidEventException}
 * whose reason is one of the documented ones (it becomes a dead-letter header); nothing else may escape, since
 * anything else would stop the stream thread instead of dead-lettering one record.
 */
class EventParserFuzzTest {

    /** Small, so that the fuzzer reaches the length check too. */
    private static final int MAX_TEXT_BYTES = 256;

    private static final Set<String> REASONS = Set.of("invalid-utf8", "malformed-json", "not-an-object", "missing-text",
            "text-not-string", "empty-text", "invalid-unicode", "text-too-long");

    private static final EventParser PARSER = new EventParser("text", MAX_TEXT_BYTES);

    @FuzzTest
    @DictionaryEntries({"{\"text\":", "\"text\"", "\\ud83d", "\\ude00", "\\u0000", "null", "true", "1e999", "[", "{", "}"})
    void anyBytes(byte[] value) {
        EventParser.ParsedEvent event;
        try {
            event = PARSER.parse(value);
        } catch (InvalidEventException e) {
            assertTrue(REASONS.contains(e.reason()), "undocumented reason " + e.reason());
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
            return;
        }
        // a valid event: its text is the text field, non-blank, well-formed Unicode and within the limit
        String text = event.text();
        assertEquals(text, event.json().get("text").textValue());
        assertFalse(text.isBlank());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(text, new String(utf8, StandardCharsets.UTF_8), "text holds an unpaired surrogate");
        assertTrue(utf8.length <= MAX_TEXT_BYTES, "text of " + utf8.length + " bytes passed the limit");
    }
}
