/**
 * What a model can do, independent of who computes it: {@link dev.streamformer.engine.Engine} runs an encoder on a
 * batch of token ids (hidden states or logits out); {@link dev.streamformer.engine.LanguageModel} and its
 * {@link dev.streamformer.engine.DecoderState} predict next tokens for generation. Implementations: onnx (ONNX
 * Runtime) and java (our own Transformer). Depends on {@code tensor} only.
 */
package dev.streamformer.engine;
