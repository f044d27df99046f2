package dev.streamformer.engine.onnx;

import dev.streamformer.model.DecoderShape;
import dev.streamformer.model.ModelLoadException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a decoder LLM folder in the Optimum / onnx-community layout says about itself: where its graph is
 * ({@code model.onnx} or {@code onnx/model.onnx}) and, from {@code config.json} and {@code generation_config.json} as
 * {@link DecoderShape} reads them for both engines, the sizes of its KV cache, its vocabulary, its context length and
 * its end-of-sequence ids.
 *
 * @param onnxFile     the graph to load
 * @param modelType    {@code model_type}, e.g. {@code llama}, {@code qwen2}, {@code qwen3}
 * @param layers       {@code num_hidden_layers}: one past/present key and value per layer
 * @param kvHeads      {@code num_key_value_heads} (defaults to {@code num_attention_heads})
 * @param headDim      {@code head_dim} (defaults to {@code hidden_size / num_attention_heads})
 * @param vocab        {@code vocab_size}: logits per position
 * @param maxPositions {@code max_position_embeddings}
 * @param eosIds       {@code eos_token_id} of config.json and generation_config.json, each one id or a list; may be empty
 */
record DecoderFolder(Path onnxFile, String modelType, int layers, int kvHeads, int headDim, int vocab, int maxPositions,
                     int[] eosIds) {

    static DecoderFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelLoadException(folder + " is not a directory: point the model at a folder holding config.json and"
                    + " model.onnx (or onnx/model.onnx).");
        }
        Path onnx = Files.isRegularFile(folder.resolve("model.onnx")) ? folder.resolve("model.onnx")
                : folder.resolve("onnx").resolve("model.onnx");
        if (!Files.isRegularFile(onnx)) {
            throw new ModelLoadException(folder + " has neither model.onnx nor onnx/model.onnx: download the ONNX export of the"
                    + " model (Optimum / onnx-community layout) into it.");
        }
        DecoderShape shape = DecoderShape.read(folder);
        return new DecoderFolder(onnx, shape.modelType(), shape.layers(), shape.kvHeads(), shape.headDim(), shape.vocabSize(),
                shape.maxPositions(), shape.eosIds());
    }
}
