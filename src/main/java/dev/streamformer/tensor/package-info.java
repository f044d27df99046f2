/**
 * Numeric kernels (matmul, softmax, norms, activations) on the Vector API, and safe weight readers (safetensors, ONNX
 * initializers).
 *
 * <p>May depend on nothing else in Streamformer.
 */
package dev.streamformer.tensor;
