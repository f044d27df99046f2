/** Model registry: ids and paths to Hugging Face model directories (config.json, tokenizer.json, *.onnx, *.safetensors, sentence-transformers files) plus our descriptors. A leaf: depends on nothing else here. */
package dev.streamformer.model;
