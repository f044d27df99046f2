package dev.streamformer.model;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The sizes of a decoder LLM folder that every engine needs (the Java Transformer for its blocks, ONNX Runtime for its
 * KV cache), read in this one place from {@code config.json} and {@code generation_config.json}. GPT-2 names them
 * {@code n_embd}, {@code n_layer}, {@code n_head}, {@code n_positions}; every other family as Llama does, with
 * {@code num_key_value_heads} defaulting to the query heads and {@code head_dim} to {@code hidden_size / heads}.
 * How a family wires its blocks is the engine's business (the Java engine's {@code DecoderFamily}).
 *
 * @param config       the folder's config.json, for the engine's own keys
 * @param maxPositions the longest sequence (the position table, or the RoPE context the model was trained for)
 * @param eosIds       every id that ends a sequence: config.json's and generation_config.json's, in that order
 */
public record DecoderShape(HfConfig config, String modelType, int vocabSize, int hidden, int layers, int heads, int kvHeads,
                           int headDim, int maxPositions, int[] eosIds) {

    public static DecoderShape read(Path modelDir) {
        HfConfig c = HfConfig.ofModel(modelDir);
        Set<Integer> eos = new LinkedHashSet<>(c.eosTokenIds());
        eos.addAll(HfConfig.read(modelDir.resolve("generation_config.json")).eosTokenIds());  // empty when absent
        int[] eosIds = eos.stream().mapToInt(Integer::intValue).toArray();
        if (DecoderFamily.ofModelType(c.modelType()) == DecoderFamily.GPT2) {
            int hidden = c.integer("n_embd"), heads = c.integer("n_head");
            return new DecoderShape(c, c.modelType(), c.integer("vocab_size"), hidden, c.integer("n_layer"), heads, heads,
                    hidden / heads, c.integer("n_positions"), eosIds);
        }
        int hidden = c.integer("hidden_size"), heads = c.integer("num_attention_heads");
        return new DecoderShape(c, c.modelType(), c.integer("vocab_size"), hidden, c.integer("num_hidden_layers"), heads,
                c.integer("num_key_value_heads", heads), c.integer("head_dim", hidden / heads),
                c.integer("max_position_embeddings", 2048), eosIds);
    }
}
