/**
 * Streamformer's own Transformer, written as the Transformer is taught. This package is the encoder
 * ({@code --engine java}); the boxes it is built from live in {@code engine.java.layers}, shared with the decoders
 * ({@code engine.java.decoder}).
 *
 * <p>{@link dev.streamformer.engine.java.JavaEngine} loads the weights (safetensors or ONNX) through a
 * {@code WeightSource} and builds a {@code TransformerEncoder}: {@code Embeddings}, then {@code EncoderBlock}s
 * (the shared {@code BidirectionalSelfAttention}, {@code GeluFeedForward} and {@code LayerNorm}, post-LN as BERT or
 * pre-LN), then a {@code ClassifierHead} or {@code TokenClassifierHead}. BERT, RoBERTa and XLM-R share them; they
 * differ in their position ids ({@code EncoderConfig.PositionIds}) and token types only. A batch travels as a
 * {@code PackedBatch}, its sequences' real tokens one after another (no padding); activations live in one
 * {@code EncoderState} per calling thread.
 *
 * <p>May depend on: {@code engine}, {@code engine.java.layers}, {@code model} and {@code tensor}; {@code model} for
 * {@code HfConfig}, the one reader of {@code config.json}.
 */
package dev.streamformer.engine.java;
