/**
 * Streamformer's own Transformer, written as the Transformer is taught: embeddings, attention, encoder and decoder blocks.
 *
 * <p>The encoder ({@code --engine java}): {@link dev.streamformer.engine.java.JavaEngine} loads the weights (safetensors or ONNX)
 * through a {@code WeightSource} and builds a {@code TransformerEncoder} from one class per box of the
 * picture: {@code Embeddings}, {@code SelfAttention}, {@code FeedForward}, {@code LayerNorm}, {@code EncoderBlock},
 * {@code ClassifierHead}. BERT, RoBERTa and XLM-R share them; they differ in their position ids
 * ({@code EncoderConfig.PositionIds}) and token types only. Activations live in one {@code EncoderState} per calling thread.
 *
 * <p>May depend on: {@code engine} and {@code tensor}.
 */
package dev.streamformer.engine.java;
