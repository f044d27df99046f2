package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.task.Task;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code generate} stage: each text becomes a prompt (through the template), each prompt a generation.
 * Results carry {@code generated}, {@code finish_reason} ({@code stop} or {@code length}), {@code prompt_tokens}
 * and {@code generated_tokens}. Texts of one {@link #run} call are decoded together, up to {@code maxBatch} at a
 * time; the config's time budget bounds each such batch. Thread-safe (the model is read-only; every batch has
 * its own decoder state).
 */
public final class GenerateTask implements Task {

    private final String modelId;
    private final Tokenizer tokenizer;
    private final Generator generator;
    private final GenerationConfig config;
    private final PromptTemplate template;
    private final int maxBatch;

    public GenerateTask(String modelId, LanguageModel model, Tokenizer tokenizer, GenerationConfig config,
                        PromptTemplate template, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch + ".");
        this.modelId = modelId;
        this.tokenizer = tokenizer;
        this.generator = new Generator(model, tokenizer::decode);
        this.config = config;
        this.template = template;
        this.maxBatch = maxBatch;
    }

    /** Loads the model and its {@code tokenizer.json} from a Hugging Face directory. */
    public static GenerateTask load(Path modelDir, GenerationConfig config, PromptTemplate template, int maxBatch) {
        LanguageModel model = LanguageModels.load(modelDir);
        Tokenizer tokenizer = Tokenizer.fromFile(modelDir.resolve("tokenizer.json"));
        return new GenerateTask(modelDir.getFileName().toString(), model, tokenizer, config, template, maxBatch);
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String modelId() {
        return modelId;
    }

    /** Prompt tokens of this text after templating. */
    @Override
    public int countTokens(String text) {
        return tokenizer.encode(template.apply(text)).length();
    }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        List<ObjectNode> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += maxBatch) {
            List<int[]> prompts = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + maxBatch))) prompts.add(promptIds(text));
            for (Generation g : generator.generate(prompts, config, null)) out.add(toJson(g));
        }
        return out;
    }

    /**
     * Generates for one text, handing text to {@code listener} as it is produced (the CLI's {@code generate}
     * command prints it); returns the same fields as {@link #run}.
     */
    public ObjectNode stream(String text, StreamListener listener) {
        return toJson(generator.generate(List.of(promptIds(text)), config, listener).getFirst());
    }

    private int[] promptIds(String text) {
        return tokenizer.encode(template.apply(text)).ids();
    }

    private static ObjectNode toJson(Generation g) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("generated", g.text());
        o.put("finish_reason", g.finishReason().json());
        o.put("prompt_tokens", g.promptTokens());
        o.put("generated_tokens", g.generatedTokens());
        return o;
    }
}
