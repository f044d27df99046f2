package dev.streamformer.task.generate;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to generate.
 *
 * @param maxNewTokens      most tokens to generate per prompt ({@code finish_reason=length} when reached)
 * @param temperature       0 for greedy decoding (argmax); above 0 samples from softmax(logits / temperature)
 * @param topK              sample only among the k most likely tokens (0: off)
 * @param topP              sample only among the most likely tokens whose probabilities add up to p (1: off)
 * @param repetitionPenalty above 1 makes tokens already in the context less likely, as in transformers (1: off)
 * @param seed              seeds each prompt's random generator: same seed, prompt and model give the same text
 * @param stopStrings       generation stops before the first occurrence of any of these ({@code finish_reason=stop})
 * @param stopAtEos         stop at the model's end-of-sequence token ({@code finish_reason=stop})
 * @param timeBudget        wall-clock limit for one batch; when it runs out every unfinished prompt ends with
 *                          {@code finish_reason=length} (null or zero: no limit)
 * @param fromModel         the sampling settings the user left unset: they come from the model folder's
 *                          {@code generation_config.json} when there is one ({@link GenerationDefaults}), as in
 *                          transformers; the values above stand where it is silent
 */
public record GenerationConfig(int maxNewTokens, float temperature, int topK, float topP, float repetitionPenalty,
                               long seed, List<String> stopStrings, boolean stopAtEos, Duration timeBudget,
                               Set<Setting> fromModel) {

    /** The sampling settings a model's {@code generation_config.json} may provide. */
    public enum Setting { TEMPERATURE, TOP_K, TOP_P, REPETITION_PENALTY }

    /** Every setting as given, none from the model. */
    public GenerationConfig(int maxNewTokens, float temperature, int topK, float topP, float repetitionPenalty,
                            long seed, List<String> stopStrings, boolean stopAtEos, Duration timeBudget) {
        this(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stopStrings, stopAtEos, timeBudget, Set.of());
    }

    public GenerationConfig {
        if (maxNewTokens < 1) throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens + ".");
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, got " + temperature + ".");
        if (topK < 0) throw new IllegalArgumentException("top-k must be 0 (off) or positive, got " + topK + ".");
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP + ".");
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("repetition penalty must be positive (1 is off), got " + repetitionPenalty + ".");
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) throw new IllegalArgumentException("a stop string must not be empty.");
        fromModel = fromModel == null || fromModel.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fromModel));
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at EOS. */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0f, 0, 1f, 1f, 0L, List.of(), true, null);
    }

    public boolean isGreedy() { return temperature == 0f; }

    public GenerationConfig withMaxNewTokens(int n) {
        return new GenerationConfig(n, temperature, topK, topP, repetitionPenalty, seed, stopStrings, stopAtEos, timeBudget, fromModel);
    }

    /** Sampling with this temperature, top-k and top-p (none of them from the model any more). */
    public GenerationConfig withSampling(float temperature, int topK, float topP) {
        Set<Setting> left = EnumSet.noneOf(Setting.class);
        left.addAll(fromModel);
        left.removeAll(Set.of(Setting.TEMPERATURE, Setting.TOP_K, Setting.TOP_P));
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stopStrings, stopAtEos, timeBudget, left);
    }

    public GenerationConfig withRepetitionPenalty(float penalty) {
        Set<Setting> left = EnumSet.noneOf(Setting.class);
        left.addAll(fromModel);
        left.remove(Setting.REPETITION_PENALTY);
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, penalty, seed, stopStrings, stopAtEos, timeBudget, left);
    }

    public GenerationConfig withSeed(long s) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, s, stopStrings, stopAtEos, timeBudget, fromModel);
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stops, stopAtEos, timeBudget, fromModel);
    }

    public GenerationConfig withStopAtEos(boolean stop) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stopStrings, stop, timeBudget, fromModel);
    }

    public GenerationConfig withTimeBudget(Duration budget) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stopStrings, stopAtEos, budget, fromModel);
    }
}
