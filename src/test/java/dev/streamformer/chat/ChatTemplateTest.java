package dev.streamformer.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model folder's template the way transformers does, the variables it sees, and its errors. */
class ChatTemplateTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello"));

    @TempDir
    Path folder;

    @Test
    void jinjaFileWinsOverTokenizerConfig() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": \"from config\", \"bos_token\": \"<s>\"}");
        write("chat_template.jinja", "{{ bos_token }}from jinja file\n");

        assertEquals("<s>from jinja file", ChatTemplate.fromModelDirectory(folder).render(HELLO, false));
    }

    @Test
    void listOfNamedTemplatesUsesTheDefaultOne() throws IOException {
        write("tokenizer_config.json", """
                {"chat_template": [{"name": "tool_use", "template": "tools"}, {"name": "default", "template": "plain"}]}""");

        assertEquals("plain", ChatTemplate.fromModelDirectory(folder).render(HELLO, false));
    }

    @Test
    void listWithoutDefaultNamesTheOffers() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"}]}");

        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.fromModelDirectory(folder));
        assertTrue(e.getMessage().contains("offers chat templates [tool_use] but none named \"default\""), e.getMessage());
    }

    @Test
    void specialTokensMayBeAddedTokenObjectsAndUnsetOnesAreUndefined() throws IOException {
        write("tokenizer_config.json", """
                {"chat_template": "{{ bos_token }}|{{ eos_token }}|{{ pad_token is defined }}|{{ additional_special_tokens }}",
                 "bos_token": {"content": "<bos>", "lstrip": false}, "eos_token": "<eos>", "pad_token": null,
                 "additional_special_tokens": ["<a>", {"content": "<b>"}]}""");

        assertEquals("<bos>|<eos>|False|['<a>', '<b>']", ChatTemplate.fromModelDirectory(folder).render(HELLO, false));
    }

    @Test
    void folderWithoutTemplateSaysWhereToPutOne() throws IOException {
        write("tokenizer_config.json", "{\"bos_token\": \"<s>\"}");

        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> ChatTemplate.fromModelDirectory(folder));
        assertTrue(e.getMessage().contains("has no chat template: add a chat_template.jinja file"), e.getMessage());
    }

    @Test
    void invalidTemplateFailsAtLoadWithTheLine() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("ok\n{% if x %}never closed", "test", Map.of()));
        assertTrue(e.getMessage().contains("line 2: unexpected end of template, expected 'elif' or 'else' or 'endif'"),
                e.getMessage());
    }

    @Test
    void templatesRaiseWithTheirOwnMessage() {
        ChatTemplate t = ChatTemplate.of("{% if messages[0].role != 'user' %}{{ raise_exception('First turn must be the user\\'s.') }}{% endif %}",
                "test", Map.of());

        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> t.render(List.of(ChatMessage.assistant("hi")), true));
        assertEquals("First turn must be the user's.", e.getMessage());
    }

    @Test
    void templateFailureNamesTheTemplateAndTheCause() {
        ChatTemplate t = ChatTemplate.of("{{ messages[0].content + 1 }}", "my-model/chat_template.jinja", Map.of());

        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HELLO, false));
        assertTrue(e.getMessage().startsWith("The chat template of my-model/chat_template.jinja failed on this conversation "
                + "(can only concatenate str (not \"int\") to str)"), e.getMessage());
    }

    @Test
    void seesMessagesGenerationFlagToolsAndExtraVariables() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}{{ m.role }}:{{ m['content'] }};{% endfor %}"
                + "{{ add_generation_prompt }} {{ tools }} {{ documents }} {{ enable_thinking }}", "test", Map.of());

        assertEquals("system:be brief;user:hello;True None None False",
                t.render(List.of(ChatMessage.system("be brief"), ChatMessage.user("hello")), true,
                        Map.of("enable_thinking", false)));
    }

    @Test
    void messagesAndGenerationFlagCannotComeAsExtras() {
        ChatTemplate t = ChatTemplate.of("x", "test", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.render(HELLO, true, Map.of("messages", List.of())));
        assertTrue(e.getMessage().startsWith("\"messages\" is set by render's own arguments"), e.getMessage());
    }

    /**
     * Llama 3.1's template writes {@code strftime_now("%d %b %Y")} unless the caller passes {@code date_string}.
     * Expected texts are CPython 3.11's {@code datetime(2024, 7, 26, 9, 5, 3).strftime(...)} and
     * {@code datetime(2025, 1, 5, 23, 59, 0).strftime(...)} on Linux.
     */
    @Test
    void strftimeNowFormatsTheClocksLocalTimeAsPython() {
        String format = "%d %b %Y|%A %B %-d %j %I%p %H:%M:%S %y %a %e|%m/%d %F %T %D %%|%u %w";
        ChatTemplate t = ChatTemplate.of("{{ strftime_now('" + format + "') }}", "test", Map.of());
        ZoneId paris = ZoneId.of("Europe/Paris");

        assertEquals("26 Jul 2024|Friday July 26 208 09AM 09:05:03 24 Fri 26|07/26 2024-07-26 09:05:03 07/26/24 %|5 5",
                t.withClock(Clock.fixed(Instant.parse("2024-07-26T07:05:03Z"), paris)).render(HELLO, false));
        assertEquals("05 Jan 2025|Sunday January 5 005 11PM 23:59:00 25 Sun  5|01/05 2025-01-05 23:59:00 01/05/25 %|7 0",
                t.withClock(Clock.fixed(Instant.parse("2025-01-05T23:59:00Z"), ZoneOffset.UTC)).render(HELLO, false));
    }

    @Test
    void dateStringVariableOverridesTheClockInLlama31StyleTemplates() {
        ChatTemplate t = ChatTemplate.of("{%- if not date_string is defined %}{%- set date_string = strftime_now(\"%d %b %Y\") %}"
                + "{%- endif %}Today Date: {{ date_string }}", "test", Map.of())
                .withClock(Clock.fixed(Instant.parse("2024-07-26T12:00:00Z"), ZoneOffset.UTC));

        assertEquals("Today Date: 26 Jul 2024", t.render(HELLO, false));
        assertEquals("Today Date: 01 Jan 2030", t.render(HELLO, false, Map.of("date_string", "01 Jan 2030")));
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(folder.resolve(name), content);
    }
}
