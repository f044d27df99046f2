/**
 * The boxes every Transformer here is assembled from, one class per box of the picture, like {@code torch.nn}:
 * {@code Linear} (fp32 packed, bf16 or Q8_0), the norms ({@code LayerNorm}, {@code RmsNorm}, behind {@code Norm}),
 * the feed-forward networks ({@code GeluFeedForward}, {@code GatedFeedForward}, behind {@code Mlp}) and attention:
 * {@code BidirectionalSelfAttention} over packed {@code Sequences} (the encoders', BERT's and T5's) and
 * {@code Attention.head}, one query row over a cache (the decoders' step). The encoder ({@code engine.java}) and
 * the decoders ({@code engine.java.decoder}) only choose and wire them.
 *
 * <p>May depend on: {@code tensor}.
 */
package dev.streamformer.engine.java.layers;
