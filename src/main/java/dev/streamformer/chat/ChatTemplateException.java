package dev.streamformer.chat;

/**
 * A chat template that cannot be loaded or refuses a conversation. When the template itself raised (its
 * {@code raise_exception("...")}, e.g. Gemma's "Conversation roles must alternate user/assistant/user/assistant/...")
 * the message is exactly the template's.
 */
public final class ChatTemplateException extends RuntimeException {

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
