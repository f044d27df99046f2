/**
 * Chat prompts for decoder LLMs: {@link dev.streamformer.chat.ChatTemplate} renders a conversation
 * ({@link dev.streamformer.chat.ChatMessage}s) into the prompt text a Hugging Face model folder's chat template
 * describes, byte for byte as transformers' {@code apply_chat_template} does, ready to tokenize without added special
 * tokens. The Jinja engine it needs lives in {@code chat.jinja}. Depends on Jackson (to read
 * {@code tokenizer_config.json}) and nothing else in Streamformer.
 *
 * <p>May depend on: {@code chat.jinja}.
 */
package dev.streamformer.chat;
