/**
 * Model registry: ids and paths to Hugging Face model directories (config.json, tokenizer.json, *.onnx, *.safetensors,
 * sentence-transformers files) plus our descriptors.
 *
 * <p>May depend on nothing else in Streamformer.
 */
package dev.streamformer.model;
