package dev.streamformer.engine.factory;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.engine.onnx.OnnxLanguageModel;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.model.ResolvedModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Picks and builds an engine by name and device, so that tasks name an engine ({@code onnx}, {@code java},
 * {@code auto}) and a device ({@code cpu}, {@code cuda}) without knowing the classes behind them.
 */
public final class Engines {

    private Engines() {}

    /**
     * An encoder engine: ONNX Runtime for {@code onnx} and {@code auto}, Streamformer's own Transformer for {@code java}
     * (from safetensors weights with a config.json, else from the ONNX file).
     */
    public static Engine encoder(ResolvedModel files, String engine, String device, int threads) {
        return switch (engine) {
            case "onnx", "auto" -> {
                if (files.onnx() == null) {
                    throw new ModelLoadException("Model " + files.id() + " has no .onnx file in " + files.dir()
                            + ": use --engine java for safetensors weights, or export the model to ONNX.");
                }
                yield new OnnxEngine(files.onnx(), threads, ortDevice(device));
            }
            case "java" -> {
                try {
                    yield JavaEngine.load(files.safetensors() != null && !files.config().isEmpty() ? files.safetensors() : files.onnx());
                } catch (IOException | IllegalArgumentException e) {
                    throw new ModelLoadException("The java engine cannot load " + files.id() + " (" + e.getMessage()
                            + "): use --engine onnx, or give a BERT-family model with config.json and model.safetensors.", e);
                }
            }
            default -> throw new IllegalArgumentException("Unknown engine '" + engine + "': use onnx, java or auto.");
        };
    }

    /** A decoder for generation: an ONNX export on ONNX Runtime for {@code onnx}, else our own decoder on the CPU. */
    public static LanguageModel languageModel(Path dir, String engine, String device, int threads, Quantization quantization) {
        return engine.equals("onnx") ? OnnxLanguageModel.load(dir, threads, ortDevice(device)) : LanguageModels.load(dir, quantization);
    }

    /** True when the model folder holds an ONNX export of a decoder, which engine {@code auto} then runs on ONNX Runtime. */
    public static boolean hasOnnxExport(Path dir) {
        return OnnxLanguageModel.hasExport(dir);
    }

    private static OnnxEngine.Device ortDevice(String device) {
        return device.equals("cuda") ? OnnxEngine.Device.CUDA : OnnxEngine.Device.CPU;
    }
}
