/**
 * Text generators written the way the decoder is taught: token embeddings, blocks of masked self-attention with a
 * KV cache, feed-forward, a language-model head; and the T5 encoder–decoder, whose decoder also cross-attends to
 * the encoder's output.
 *
 * <p>{@link dev.streamformer.engine.LanguageModel} is what a generator needs: a
 * {@link dev.streamformer.engine.DecoderState} per batch of sequences and one {@code forward} per step over rows
 * {@code (sequence, position, token)}. Models:
 * <ul>
 *   <li>{@link dev.streamformer.engine.java.decoder.DecoderOnlyTransformer}: the Llama lineage, one class per box of
 *       the picture ({@code RmsNorm}, {@code RotaryEmbedding}, {@code CausalSelfAttention}, {@code GatedFeedForward},
 *       {@code DecoderBlock}); {@link dev.streamformer.engine.java.decoder.DecoderConfig} says how a family
 *       (llama, mistral, qwen2, qwen3) switches them. Loaded from Hugging Face folders by
 *       {@link dev.streamformer.engine.java.decoder.HuggingFaceDecoder} and from llama2.c checkpoints by
 *       {@link dev.streamformer.engine.java.decoder.Llama2cCheckpoint}.</li>
 *   <li>{@link dev.streamformer.engine.java.decoder.Gpt2Model} (learned positions, LayerNorm, GELU) and
 *       {@link dev.streamformer.engine.java.decoder.T5Model} (relative position buckets, cross-attention).</li>
 * </ul>
 * Numeric work goes through {@link dev.streamformer.tensor.Kernels}; weights come from
 * {@link dev.streamformer.tensor.SafeTensors} or a llama2.c checkpoint.
 *
 * <p>May depend on: {@code engine}, {@code engine.java} and {@code tensor}.
 */
package dev.streamformer.engine.java.decoder;
