package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The sampling defaults a model ships in {@code generation_config.json} ({@code do_sample}, {@code temperature},
 * {@code top_k}, {@code top_p}, {@code repetition_penalty}), applied the way transformers' {@code generate} does:
 * {@code do_sample: false} (or no file) means greedy; {@code do_sample: true} samples with the file's values, and
 * where the file is silent with transformers' own defaults (temperature 1, top-k 50, top-p 1). A setting the user
 * gave always wins.
 */
public record GenerationDefaults(boolean doSample, float temperature, int topK, float topP, float repetitionPenalty) {

    /** What transformers does without a generation_config.json: greedy. */
    public static final GenerationDefaults GREEDY = new GenerationDefaults(false, 1f, 50, 1f, 1f);

    /** Reads {@code generation_config.json} of a model folder; {@link #GREEDY} when there is none. */
    public static GenerationDefaults read(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        if (!Files.isRegularFile(file)) return GREEDY;
        try {
            JsonNode g = new ObjectMapper().readTree(file.toFile());
            return new GenerationDefaults(g.path("do_sample").asBoolean(false),
                    (float) g.path("temperature").asDouble(1.0), g.path("top_k").asInt(50),
                    (float) g.path("top_p").asDouble(1.0), (float) g.path("repetition_penalty").asDouble(1.0));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON (" + e.getMessage()
                    + "): restore the file that came with the model, or delete it to decode greedily.", e);
        }
    }

    /** {@code config} with every setting it takes {@link GenerationConfig#fromModel() from the model} filled in. */
    public GenerationConfig applyTo(GenerationConfig config) {
        Set<GenerationConfig.Setting> from = config.fromModel();
        if (from.isEmpty()) return config;
        boolean sampleFromModel = from.contains(GenerationConfig.Setting.TEMPERATURE);
        float t = !sampleFromModel ? config.temperature() : doSample ? temperature : 0f;
        int k = from.contains(GenerationConfig.Setting.TOP_K) && doSample ? topK : config.topK();
        float p = from.contains(GenerationConfig.Setting.TOP_P) && doSample ? topP : config.topP();
        float r = from.contains(GenerationConfig.Setting.REPETITION_PENALTY) ? repetitionPenalty : config.repetitionPenalty();
        return new GenerationConfig(config.maxNewTokens(), t, k, p, r, config.seed(), config.stopStrings(),
                config.stopAtEos(), config.timeBudget(), EnumSet.noneOf(GenerationConfig.Setting.class));
    }
}
