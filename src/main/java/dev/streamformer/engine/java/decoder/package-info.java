/**
 * Text generators written the way the decoder is taught: token embeddings, blocks of masked self-attention with a
 * KV cache, feed-forward, a language-model head; and the T5 encoder–decoder, whose decoder also cross-attends to
 * the encoder's output.
 *
 * <p>{@link dev.streamformer.engine.LanguageModel} is what a generator needs: a
 * {@link dev.streamformer.engine.DecoderState} per batch of sequences and one {@code forward} per step over rows
 * {@code (sequence, position, token)}. Models:
 * <ul>
 *   <li>{@link dev.streamformer.engine.java.decoder.DecoderOnlyTransformer}: GPT-2 and the Llama lineage, one class
 *       per box of the picture ({@code RmsNorm} or {@code LayerNorm}, {@code RotaryEmbedding} or learned
 *       positions, {@code CausalSelfAttention}, {@code GatedFeedForward} or {@code GeluFeedForward},
 *       {@code DecoderBlock}); {@link dev.streamformer.engine.java.decoder.DecoderConfig} says how a family
 *       (gpt2, llama, mistral, qwen2, qwen3: {@link dev.streamformer.model.DecoderFamily}) switches them. Loaded from
 *       Hugging Face folders by {@link dev.streamformer.engine.java.decoder.HuggingFaceDecoder}, from llama.cpp GGUF
 *       files by {@link dev.streamformer.engine.java.decoder.GgufDecoder} and from llama2.c checkpoints by
 *       {@link dev.streamformer.engine.java.decoder.Llama2cCheckpoint}.</li>
 *   <li>{@link dev.streamformer.engine.java.decoder.T5Model}: the same boxes ({@code RmsNorm}, {@code CausalSelfAttention},
 *       {@code GatedFeedForward} with a GELU gate) plus {@code RelativePositionBias}, {@code BidirectionalSelfAttention}
 *       for its encoder and {@code CrossAttention} to it.</li>
 * </ul>
 * Numeric work goes through {@link dev.streamformer.tensor.Kernels}; weights come from
 * {@link dev.streamformer.tensor.SafeTensors}, {@link dev.streamformer.tensor.GgufFile} or a llama2.c checkpoint.
 *
 * The norms, feed-forward networks, {@code Linear}, {@code BidirectionalSelfAttention} and {@code Attention.head} are the
 * shared boxes of {@code engine.java.layers}; what is here is the decoders' own: the KV cache, causal and cross
 * attention over it, RoPE, T5's relative position bias, and the wiring of each family.
 *
 * <p>May depend on: {@code engine}, {@code engine.java.layers}, {@code model} and {@code tensor}; {@code model} for
 * {@code HfConfig}, the one reader of {@code config.json}. It implements {@code engine}'s
 * generation API.
 */
package dev.streamformer.engine.java.decoder;
