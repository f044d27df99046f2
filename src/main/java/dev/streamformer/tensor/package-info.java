/** Numeric kernels (matmul, softmax, norms, activations) on the Vector API, and safe weight readers (safetensors, ONNX initializers). */
package dev.streamformer.tensor;
