package dev.streamformer.task;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.java.JavaEngine;
import dev.streamformer.engine.onnx.OnnxEngine;
import dev.streamformer.model.ModelLoadException;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.ResolvedModel;
import dev.streamformer.tokenize.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model ready to run: its files, its tokenizer and its engine.
 *
 * <p><b>One model per JVM:</b> {@link #load} keeps every loaded model in a process-wide map keyed by
 * (model, engine options), so all stream threads, tasks and stages that name the same model share one copy of the weights.
 */
public record LoadedModel(ResolvedModel files, Tokenizer tokenizer, Engine engine) {

    private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);
    private static final Map<String, LoadedModel> LOADED = new ConcurrentHashMap<>();

    public static LoadedModel load(String idOrPath, EngineOptions options) {
        return load(ModelRegistry.standard(), idOrPath, options);
    }

    public static LoadedModel load(ModelRegistry registry, String idOrPath, EngineOptions options) {
        String key = idOrPath + "|" + options;
        return LOADED.computeIfAbsent(key, k -> {
            long start = System.nanoTime();
            ResolvedModel files = registry.resolve(idOrPath);
            Tokenizer tokenizer = Tokenizer.fromFile(files.tokenizer()).withMaxLength(files.maxLength());
            Engine engine = createEngine(files, options);
            log.info("Loaded model {} on {} in {} ms", idOrPath, engine.name(), (System.nanoTime() - start) / 1_000_000);
            return new LoadedModel(files, tokenizer, engine);
        });
    }

    private static Engine createEngine(ResolvedModel files, EngineOptions options) {
        return switch (options.engine()) {
            case "onnx", "auto" -> {
                if (files.onnx() == null) {
                    throw new ModelLoadException("Model " + files.id() + " has no .onnx file in " + files.dir()
                            + ": use --engine java for safetensors weights, or export the model to ONNX.");
                }
                yield new OnnxEngine(files.onnx(), options.threads(), options.ortDevice());
            }
            case "java" -> {
                try {
                    yield JavaEngine.load(files.safetensors() != null && !files.config().isEmpty() ? files.safetensors() : files.onnx());
                } catch (IOException | IllegalArgumentException e) {
                    throw new ModelLoadException("The java engine cannot load " + files.id() + " (" + e.getMessage()
                            + "): use --engine onnx, or give a BERT-family model with config.json and model.safetensors.", e);
                }
            }
            default -> throw new IllegalStateException(options.engine());
        };
    }

    public String id() { return files.id(); }
}
