package dev.streamformer.engine.java.decoder;

import dev.streamformer.engine.LanguageModel;
import dev.streamformer.model.HfConfig;
import dev.streamformer.model.HfConfig.Family;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens a generative model from a path: a Hugging Face directory (Llama family, GPT-2, T5), a llama.cpp {@code .gguf}
 * file or a llama2.c {@code .bin}.
 */
public final class LanguageModels {

    private LanguageModels() {}

    /**
     * Loads {@code path}: a llama2.c checkpoint file, a directory holding exactly one such {@code .bin} and no
     * {@code config.json}, or a Hugging Face directory whose {@code config.json} says {@code llama}, {@code mistral}, {@code qwen2},
     * {@code qwen3}, {@code gpt2} or {@code t5}.
     */
    public static LanguageModel load(Path path) {
        return load(path, Quantization.NONE);
    }

    /** As {@link #load(Path)}, storing the weight matrices as {@code quantization} says. */
    public static LanguageModel load(Path path, Quantization quantization) {
        if (Files.isRegularFile(path) && path.toString().endsWith(".bin")) return Llama2cCheckpoint.load(path, quantization);
        if (Files.isRegularFile(path) && path.toString().endsWith(".gguf")) return GgufDecoder.load(path, quantization);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is neither a model directory, a .gguf file nor a llama2.c .bin file.");
        }
        if (!Files.isRegularFile(path.resolve("config.json"))) {
            List<Path> bins = binFiles(path);
            if (bins.size() == 1) return Llama2cCheckpoint.load(bins.getFirst(), quantization);
            throw new IllegalArgumentException(path + " has no config.json (and not exactly one llama2.c .bin file); "
                    + "point it at a Hugging Face model directory.");
        }
        Family family = HfConfig.ofModel(path).family("and llama2.c checkpoints as generators", Family.DECODER, Family.ENCODER_DECODER);
        return family == Family.DECODER ? HuggingFaceDecoder.load(path, quantization) : T5Model.load(path, quantization);
    }

    private static List<Path> binFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
