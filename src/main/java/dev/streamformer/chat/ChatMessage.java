package dev.streamformer.chat;

import java.util.Objects;

/**
 * One turn of a conversation, as chat templates read it: {@code role} ("system", "user", "assistant", "tool", …)
 * and its text. The template sees it as the dict {@code {"role": role, "content": content}}.
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "A chat message needs a role such as \"user\" or \"assistant\".");
        Objects.requireNonNull(content, "A chat message needs a content; use \"\" for an empty one.");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
