package dev.streamformer.app;

import dev.streamformer.engine.java.decoder.Quantization;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.GenerateSpec;
import dev.streamformer.task.generate.GenerationConfig;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;

/** Decoding options of {@code generate} and {@code run --task generate}. */
final class GenerationOptions {

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens = 64;

    @Option(names = "--temperature", paramLabel = "T",
            description = "0: greedy (argmax); above 0: sample from softmax(logits / T). Default: the model's"
                    + " generation_config.json (as transformers), else 0.")
    Float temperature;

    @Option(names = "--top-k", paramLabel = "K",
            description = "Sample among the K most likely tokens (0: off). Default: the model's generation_config.json, else 0.")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P",
            description = "Nucleus sampling: the most likely tokens adding up to P (1: off). Default: the model's"
                    + " generation_config.json, else 1.")
    Float topP;

    @Option(names = "--repetition-penalty", paramLabel = "R",
            description = "Above 1 discourages repeats (1: off). Default: the model's generation_config.json, else 1.")
    Float repetitionPenalty;

    @Option(names = "--seed", description = "Same seed, same text. Default: ${DEFAULT-VALUE}.")
    long seed = 0;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text (repeatable).")
    List<String> stop;

    @Option(names = "--ignore-eos", description = "Keep generating past the end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--time-budget-ms", paramLabel = "MS",
            description = "Wall-clock limit per batch; unfinished texts end with finish_reason=length (0: none).")
    long timeBudgetMs = 0;

    @Option(names = "--template", paramLabel = "PROMPT", description = "The prompt, with {text} for the event's text and {field} for any other field, e.g. \"Summarize {title}: {text}\".")
    String template;

    @Option(names = "--chat", description = "Render each event through the model's chat template: its 'messages'"
            + " ([{role, content}, ...]) or its text as one user turn.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "In chat mode, a system message put first (unless the event brings one).")
    String system;

    @Option(names = "--chat-template-kwargs", paramLabel = "K=V[,K=V]",
            description = "Extra chat-template variables, e.g. enable_thinking=false (Qwen3).")
    String chatTemplateKwargs;

    @Option(names = "--details", description = "Add tokens: [{id, text, logprob}] for the generated tokens.")
    boolean details;

    @Option(names = "--quantize", paramLabel = "FORMAT",
            description = "Store the weight matrices as q8_0 (llama.cpp's 8-bit blocks: a quarter of fp32's memory"
                    + " traffic, faster decoding at batch 1) or bf16 (a bf16 checkpoint's weights as stored: half the"
                    + " memory). Default: none (fp32: fastest for prompts and batches).")
    String quantize;

    /** Everything a generate stage needs from these flags. */
    GenerateSpec spec() {
        var chatSettings = new ChatPrompt.ChatSettings(chat, system, ChatPrompt.ChatSettings.parseVariables(chatTemplateKwargs));
        if (!chat && (system != null || chatTemplateKwargs != null)) {
            throw new IllegalArgumentException("--system and --chat-template-kwargs apply to the chat template: add --chat.");
        }
        return new GenerateSpec(config(), template, chatSettings, details, Quantization.parse(quantize));
    }

    GenerationConfig config() {
        Set<GenerationConfig.Setting> fromModel = EnumSet.noneOf(GenerationConfig.Setting.class);
        if (temperature == null) fromModel.add(GenerationConfig.Setting.TEMPERATURE);
        if (topK == null) fromModel.add(GenerationConfig.Setting.TOP_K);
        if (topP == null) fromModel.add(GenerationConfig.Setting.TOP_P);
        if (repetitionPenalty == null) fromModel.add(GenerationConfig.Setting.REPETITION_PENALTY);
        return new GenerationConfig(maxNewTokens, temperature == null ? 0f : temperature, topK == null ? 0 : topK,
                topP == null ? 1f : topP, repetitionPenalty == null ? 1f : repetitionPenalty, seed, stop, !ignoreEos,
                timeBudgetMs > 0 ? Duration.ofMillis(timeBudgetMs) : null, fromModel);
    }
}
