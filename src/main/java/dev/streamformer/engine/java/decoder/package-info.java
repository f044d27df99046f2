/**
 * Text generators written the way the decoder is taught: token (and position) embeddings, blocks of
 * masked self-attention with a KV cache, feed-forward, a tied language-model head; and the T5
 * encoder–decoder, whose decoder also cross-attends to the encoder's output.
 *
 * <p>{@link dev.streamformer.engine.LanguageModel} is what a generator needs: a
 * {@link dev.streamformer.engine.DecoderState} per batch of sequences and one
 * {@code forward} per step over rows {@code (sequence, position, token)}. Models: GPT-2
 * ({@link dev.streamformer.engine.java.decoder.Gpt2Model}), Llama as in llama2.c
 * ({@link dev.streamformer.engine.java.decoder.LlamaModel}) and T5 v1.1
 * ({@link dev.streamformer.engine.java.decoder.T5Model}). Numeric work goes through
 * {@link dev.streamformer.tensor.Kernels}; weights come from {@link dev.streamformer.tensor.SafeTensors}
 * or a llama2.c checkpoint. Depends on {@code engine} (the generation API it implements) and {@code tensor}.
 */
package dev.streamformer.engine.java.decoder;
