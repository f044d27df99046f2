/**
 * ONNX Runtime engines: {@link dev.streamformer.engine.onnx.OnnxEngine} for encoders and
 * {@link dev.streamformer.engine.onnx.OnnxLanguageModel} for decoder LLMs exported in the Optimum / onnx-community layout
 * (KV cache as {@code past_key_values.N.*} inputs and {@code present.N.*} outputs). One session per model per JVM, shared
 * by all threads.
 *
 * <p>May depend on: {@code engine}, {@code model} and {@code tensor}.
 */
package dev.streamformer.engine.onnx;
