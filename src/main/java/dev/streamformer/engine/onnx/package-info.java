/** ONNX Runtime engine: one session per model per JVM, shared by all threads. */
package dev.streamformer.engine.onnx;
