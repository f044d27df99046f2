package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.chat.ChatMessage;
import dev.streamformer.chat.ChatTemplate;
import dev.streamformer.chat.ChatTemplateException;
import dev.streamformer.task.EventInput;
import dev.streamformer.task.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a generation reads an event.
 * <ul>
 *   <li>Without chat mode, the event's text (the generate task applies the prompt template and the tokenizer's special
 *       tokens).</li>
 *   <li>In chat mode ({@code --chat}), a conversation rendered through the model's chat template, ending with the
 *       generation prompt that opens the assistant's turn: an event's {@code messages}
 *       ({@code [{"role": "user", "content": "…"}, …]}), or its text (after the prompt template) as one user turn. A
 *       system message ({@code --system}) goes first unless the conversation brings its own.</li>
 * </ul>
 * A rendered prompt already holds the model's special tokens, so in chat mode every prompt is tokenized without
 * adding them ({@link #rendersChat}). A template that refuses a conversation (e.g. Gemma's "Conversation roles must
 * alternate") sends the event to the dead-letter topic with the template's message.
 *
 * @param template  the chat template, or null when the model folder has none
 * @param settings  chat mode, system message and extra template variables
 * @param prompt    the prompt template for text events
 */
public record ChatPrompt(ChatTemplate template, ChatSettings settings, PromptTemplate prompt) implements EventInput {

    @Override
    public boolean readsWithoutText(ObjectNode event) {
        return event.has("messages");
    }

    /** True when text events are rendered through the chat template too (so every prompt holds its special tokens). */
    public boolean rendersChat() {
        return settings.chat();
    }

    @Override
    public String read(ObjectNode event, String text) {
        if (!settings.chat()) {
            if (text == null) {
                throw new InvalidInputException("chat-off", "The event carries 'messages' but chat mode is off: add --chat"
                        + " (topology: generation.chat: true) to render conversations through the model's chat template.");
            }
            return text;
        }
        List<ChatMessage> conversation = new ArrayList<>();
        if (text != null) {
            conversation.add(ChatMessage.user(prompt.apply(text)));
        } else {
            conversation.addAll(messages(event.get("messages")));
        }
        boolean hasSystem = !conversation.isEmpty() && conversation.getFirst().role().equals("system");
        if (settings.system() != null && !hasSystem) conversation.addFirst(ChatMessage.system(settings.system()));
        return render(conversation);
    }

    /** Renders a conversation as the model's prompt (also used by {@code tokenize} to show what the model is fed). */
    public String render(List<ChatMessage> conversation) {
        if (template == null) {
            throw new InvalidInputException("no-chat-template", "The model has no chat template (no chat_template in"
                    + " tokenizer_config.json, no chat_template.jinja): send text events without --chat, or use an"
                    + " instruction model's folder.");
        }
        try {
            return template.render(conversation, true, settings.variables());
        } catch (ChatTemplateException e) {
            throw new InvalidInputException("chat-template", e.getMessage());
        }
    }

    /** The {@code messages} field as chat messages, or why it is not a conversation. */
    static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InvalidInputException("bad-messages", "The 'messages' field must be a non-empty list of"
                    + " {\"role\": \"user\", \"content\": \"…\"} objects.");
        }
        List<ChatMessage> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            JsonNode role = m.get("role"), content = m.get("content");
            if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
                throw new InvalidInputException("bad-messages", "Message " + i + " of 'messages' needs a string 'role'"
                        + " and a string 'content', e.g. {\"role\": \"user\", \"content\": \"Hello\"}.");
            }
            out.add(new ChatMessage(role.textValue(), content.textValue()));
        }
        return out;
    }

    /**
     * Chat settings of a generate stage.
     *
     * @param chat      text events become one user turn of the chat template ({@code --chat})
     * @param system    a system message put first (null: none)
     * @param variables extra chat-template variables, e.g. {@code enable_thinking=false} ({@code --chat-template-kwargs})
     */
    public record ChatSettings(boolean chat, String system, Map<String, Object> variables) {

        public static final ChatSettings NONE = new ChatSettings(false, null, Map.of());

        public ChatSettings {
            // not Map.copyOf: a template variable may be None (null)
            variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variables));
        }

        /**
         * Parses {@code k=v,k2=v2}: {@code true}/{@code false}, numbers and {@code null} become those values, anything
         * else a string.
         */
        public static Map<String, Object> parseVariables(String spec) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            if (spec == null || spec.isBlank()) return out;
            for (String pair : spec.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--chat-template-kwargs '" + pair + "' is not KEY=VALUE: write e.g."
                            + " --chat-template-kwargs enable_thinking=false.");
                }
                String key = pair.substring(0, eq).strip(), value = pair.substring(eq + 1).strip();
                out.put(key, switch (value) {
                    case "true", "True" -> Boolean.TRUE;
                    case "false", "False" -> Boolean.FALSE;
                    case "null", "None" -> null;
                    default -> number(value);
                });
            }
            return out;
        }

        private static Object number(String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException notLong) {
                try {
                    return Double.parseDouble(value);
                } catch (NumberFormatException notNumber) {
                    return value;
                }
            }
        }
    }
}
