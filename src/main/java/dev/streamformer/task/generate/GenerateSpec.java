package dev.streamformer.task.generate;

import dev.streamformer.engine.java.decoder.Quantization;

/**
 * The settings of a generate stage, as CLI flags and topology files give them.
 *
 * @param decoding     how to pick tokens and when to stop (sampling settings left unset come from the model's
 *                     generation_config.json)
 * @param template     the prompt, with {@code {text}} standing for the event's text (null: the text itself)
 * @param chat         chat mode, system message and chat-template variables
 * @param details      add {@code tokens: [{id, text, logprob}]} for the generated tokens
 * @param quantization how the Java engine stores the weight matrices ({@code --quantize})
 */
public record GenerateSpec(GenerationConfig decoding, String template, ChatPrompt.ChatSettings chat, boolean details,
                           Quantization quantization) {

    /** Greedy, 64 new tokens, the text as prompt, no chat, fp32. */
    public static final GenerateSpec DEFAULT = new GenerateSpec(null, null, null, false, null);

    public GenerateSpec {
        decoding = decoding == null ? GenerationConfig.greedy(64) : decoding;
        chat = chat == null ? ChatPrompt.ChatSettings.NONE : chat;
        quantization = quantization == null ? Quantization.NONE : quantization;
    }

    /** These settings with another prompt template (null: the text itself). */
    public GenerateSpec withTemplate(String other) {
        return new GenerateSpec(decoding, other, chat, details, quantization);
    }

    public PromptTemplate promptTemplate() {
        return template == null ? PromptTemplate.IDENTITY : new PromptTemplate(template);
    }
}
