package dev.streamformer.chat;

import dev.streamformer.chat.jinja.Template;
import dev.streamformer.chat.jinja.TemplateFunction;
import dev.streamformer.chat.jinja.TemplateRenderException;
import dev.streamformer.chat.jinja.TemplateSyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template: turns a conversation into the prompt text the model was trained on, exactly as Hugging
 * Face transformers' {@code tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} does.
 * Parsed once at load; {@link #render} is cheap and thread-safe, for one call per event.
 *
 * <p>The template sees the variables transformers gives it: {@code messages} (a list of {@code {role, content}}),
 * {@code add_generation_prompt}, {@code tools} and {@code documents} (None unless passed as extra variables), the
 * special tokens of {@code tokenizer_config.json} ({@code bos_token}, {@code eos_token}, …), the functions
 * {@code raise_exception(message)} and {@code strftime_now(format)} (local time of this template's clock), and any
 * extra variables (e.g. {@code enable_thinking=false} for Qwen3, {@code date_string} for Llama 3.1).
 *
 * <p>Tokenize the result with {@code Tokenizer.encode(prompt, false)}: the template already wrote the special tokens
 * (such as {@code <|begin_of_text|>}) into the text.
 */
public final class ChatTemplate {

    private final Template template;
    private final String origin;
    private final Map<String, Object> specialTokens;
    private final Clock clock;

    private ChatTemplate(Template template, String origin, Map<String, Object> specialTokens, Clock clock) {
        this.template = template;
        this.origin = origin;
        this.specialTokens = specialTokens;
        this.clock = clock;
    }

    /**
     * Loads the chat template of a Hugging Face model folder: {@code chat_template.jinja} when present, else the
     * {@code chat_template} of {@code tokenizer_config.json}; special tokens from {@code tokenizer_config.json}.
     *
     * @throws ChatTemplateException when the folder has no chat template, or it is not valid (supported) Jinja
     */
    public static ChatTemplate fromModelDirectory(Path modelDirectory) {
        ChatTemplateFiles files = ChatTemplateFiles.read(modelDirectory);
        return of(files.template(), files.origin().toString(), files.specialTokens());
    }

    /**
     * A chat template given as text, with the special tokens it may refer to (e.g. {@code bos_token}).
     *
     * @param origin where the text came from, for error messages
     * @throws ChatTemplateException when it is not valid (supported) Jinja
     */
    public static ChatTemplate of(String template, String origin, Map<String, ?> specialTokens) {
        try {
            return new ChatTemplate(Template.parse(template), origin, Map.copyOf(specialTokens), Clock.systemDefaultZone());
        } catch (TemplateSyntaxException e) {
            throw new ChatTemplateException("The chat template of " + origin + " cannot be used (" + e.getMessage()
                    + "): fix the template or provide a chat_template.jinja that this Jinja subset supports.", e);
        }
    }

    /** This template with {@code strftime_now} reading {@code clock} (for reproducible prompts and tests). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(template, origin, specialTokens, Objects.requireNonNull(clock));
    }

    /** {@link #render(List, boolean, Map)} without extra variables. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * The prompt text for a conversation.
     *
     * @param addGenerationPrompt end with the header that opens the assistant's reply (true when generating)
     * @param extraVariables      more template variables (strings, numbers, booleans, null, lists, maps); they may
     *                            override special tokens, {@code tools} and {@code documents}, not the messages or
     *                            {@code add_generation_prompt}
     * @throws ChatTemplateException when the template refuses the conversation (with the template's own message, e.g.
     *                               "Conversation roles must alternate user/assistant/user/assistant/...") or fails on it
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        for (String reserved : List.of("messages", "add_generation_prompt")) {
            if (extraVariables.containsKey(reserved)) {
                throw new IllegalArgumentException("\"" + reserved + "\" is set by render's own arguments: remove it "
                        + "from the extra variables.");
            }
        }
        Map<String, Object> variables = new HashMap<>(specialTokens);
        variables.put("messages", asDicts(messages));
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("tools", null);
        variables.put("documents", null);
        variables.put("raise_exception", (TemplateFunction) ChatTemplate::raiseException);
        variables.put("strftime_now", (TemplateFunction) this::strftimeNow);
        variables.putAll(extraVariables);
        try {
            return template.render(variables);
        } catch (TemplateRenderException e) {
            throw new ChatTemplateException("The chat template of " + origin + " failed on this conversation ("
                    + e.getMessage() + "): check the messages' roles and contents and the extra variables it expects.", e);
        }
    }

    private static List<Map<String, Object>> asDicts(List<ChatMessage> messages) {
        List<Map<String, Object>> dicts = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> dict = new LinkedHashMap<>();
            dict.put("role", m.role());
            dict.put("content", m.content());
            dicts.add(dict);
        }
        return dicts;
    }

    /** The template's own refusal: its message, unchanged, is what the user sees. */
    private static Object raiseException(List<Object> args, Map<String, Object> keywords) {
        throw new ChatTemplateException(args.isEmpty() ? "The chat template raised an error." : String.valueOf(args.getFirst()));
    }

    private Object strftimeNow(List<Object> args, Map<String, Object> keywords) {
        if (args.size() != 1 || !(args.getFirst() instanceof String format)) {
            throw new TemplateRenderException("strftime_now() takes one format string");
        }
        return Strftime.format(ZonedDateTime.now(clock), format);
    }
}
