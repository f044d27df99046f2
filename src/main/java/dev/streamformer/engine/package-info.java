/**
 * What a model can do, independent of who computes it: {@link dev.streamformer.engine.Engine} runs an encoder on a
 * batch of token ids (hidden states or logits out); {@link dev.streamformer.engine.LanguageModel} and its
 * {@link dev.streamformer.engine.DecoderState} predict next tokens for generation.
 *
 * <p>May depend on: {@code tensor}.
 */
package dev.streamformer.engine;
