package dev.streamformer.task;

import dev.streamformer.engine.Engine;
import dev.streamformer.engine.factory.Engines;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.ResolvedModel;
import dev.streamformer.tokenize.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
            Engine engine = Engines.encoder(files, options.engine(), options.device(), options.threads());
            log.info("Loaded model {} on {} in {} ms", idOrPath, engine.name(), (System.nanoTime() - start) / 1_000_000);
            return new LoadedModel(files, tokenizer, engine);
        });
    }

    public String id() { return files.id(); }
}
