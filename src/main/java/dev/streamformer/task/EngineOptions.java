package dev.streamformer.task;

import java.util.Locale;

/**
 * Which engine runs a model and how, by name ({@link dev.streamformer.engine.factory.Engines} builds it).
 *
 * @param engine  {@code onnx} (ONNX Runtime), {@code java} (Streamformer's own Transformer) or {@code auto}: onnx for
 *                encoders; for a decoder, onnx when its folder holds an ONNX export, java otherwise
 * @param device  {@code cpu} or {@code cuda} (ONNX Runtime only)
 * @param threads intra-op threads (0: the engine's default, one per core)
 */
public record EngineOptions(String engine, String device, int threads) {

    public static final EngineOptions DEFAULT = new EngineOptions("onnx", "cpu", 0);

    public EngineOptions {
        engine = engine.toLowerCase(Locale.ROOT);
        device = device.toLowerCase(Locale.ROOT);
        if (!engine.equals("onnx") && !engine.equals("java") && !engine.equals("auto")) {
            throw new IllegalArgumentException("Unknown engine '" + engine + "': use onnx, java or auto.");
        }
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException("Unknown device '" + device + "': use cpu or cuda.");
        }
        if (engine.equals("java") && device.equals("cuda")) {
            throw new IllegalArgumentException("The java engine runs on the CPU only: use --engine onnx --device cuda for a GPU.");
        }
    }
}
