/** The Engine interface: a batch of token ids and masks in, hidden states or logits out. Implementations: onnx (ONNX Runtime) and java (our own Transformer). */
package dev.streamformer.engine;
