package dev.streamformer.app;

import dev.streamformer.model.ModelRegistry;
import dev.streamformer.task.EngineOptions;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
public final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "ID|DIR", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "A built-in model id (all-minilm-l6-v2, all-minilm-l6-v2-q, bge-small-en-v15, e5-small-v2) or a"
                    + " Hugging Face model directory. Default: ${DEFAULT-VALUE}.")
    public String model;

    @Option(names = "--engine", defaultValue = "auto", paramLabel = "onnx|java|auto",
            description = "onnx (ONNX Runtime) or java (Streamformer's own Transformer). Default: auto: onnx for encoders;"
                    + " for generation onnx when the model folder holds model.onnx, java otherwise.")
    public String engine;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda",
            description = "Where ONNX Runtime runs. Default: ${DEFAULT-VALUE}.")
    public String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Threads per model call (0: one per core).")
    public int threads;

    public EngineOptions engineOptions() { return new EngineOptions(engine, device, threads); }
}
