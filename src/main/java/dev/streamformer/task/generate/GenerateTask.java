package dev.streamformer.task.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.engine.LanguageModel;
import dev.streamformer.engine.java.decoder.LanguageModels;
import dev.streamformer.task.PreparedText;
import dev.streamformer.task.Task;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code generate} stage: each event becomes a prompt ({@link #input()}: the prompt template, or in chat mode the
 * model's chat template), each prompt a generation. Results carry {@code generated}, {@code finish_reason}
 * ({@code stop} or {@code length}), {@code prompt_tokens} and {@code generated_tokens}, and with details
 * {@code tokens: [{id, text, logprob}]}. Prompts of one {@link #run} call are decoded together, up to
 * {@code maxBatch} at a time; the config's time budget bounds each such batch. Thread-safe (the model is read-only;
 * every batch has its own decoder state).
 */
public final class GenerateTask implements Task {

    private final String modelId;
    private final Tokenizer tokenizer;
    private final Generator generator;
    private final GenerationConfig config;
    private final ChatPrompt prompt;
    private final boolean details;
    private final int maxBatch;

    /** A generation without chat template and without details; {@link #run} takes texts for the prompt template. */
    public GenerateTask(String modelId, LanguageModel model, Tokenizer tokenizer, GenerationConfig config,
                        PromptTemplate template, int maxBatch) {
        this(modelId, model, tokenizer, config, new ChatPrompt(null, ChatPrompt.ChatSettings.NONE, template), false, maxBatch);
    }

    /**
     * @param prompt  how events become prompts (prompt template, chat template, system message)
     * @param details add each generated token's id, text and log-probability
     */
    public GenerateTask(String modelId, LanguageModel model, Tokenizer tokenizer, GenerationConfig config,
                        ChatPrompt prompt, boolean details, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch + ".");
        this.modelId = modelId;
        this.tokenizer = tokenizer;
        Generator g = new Generator(model, tokenizer::decode);
        this.generator = details ? g.withLogprobs() : g;
        this.config = config;
        this.prompt = prompt;
        this.details = details;
        this.maxBatch = maxBatch;
    }

    /** Loads the model and its {@code tokenizer.json} from a Hugging Face directory. */
    public static GenerateTask load(Path modelDir, GenerationConfig config, PromptTemplate template, int maxBatch) {
        LanguageModel model = LanguageModels.load(modelDir);
        Tokenizer tokenizer = Tokenizer.fromFile(modelDir.resolve("tokenizer.json"));
        return new GenerateTask(modelDir.toString(), model, tokenizer, config, template, maxBatch);
    }

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String modelId() {
        return modelId;
    }

    /** Events become prompts here; {@link #run} and {@link #countTokens} take what this returns. */
    @Override
    public ChatPrompt input() {
        return prompt;
    }

    /** Prompt tokens of this model input. */
    @Override
    public int countTokens(String input) {
        return promptIds(input).length;
    }

    /** Keeps the prompt's encoding, so that {@link #runPrepared} does not tokenize (or template) the text again. */
    @Override
    public PreparedText prepare(String input) {
        Encoding encoding = encodePrompt(input);
        return new PreparedText(input, encoding.length(), encoding);
    }

    @Override
    public List<ObjectNode> run(List<String> texts) {
        return generate(texts.stream().map(text -> encodePrompt(text).ids()).toList());
    }

    @Override
    public List<ObjectNode> runPrepared(List<PreparedText> inputs) {
        return generate(inputs.stream().map(input -> (input.encoding() != null ? input.encoding() : encodePrompt(input.text())).ids()).toList());
    }

    /** Generates for the prompts, at most {@code maxBatch} at a time; one result per prompt, in order. */
    private List<ObjectNode> generate(List<int[]> prompts) {
        List<ObjectNode> out = new ArrayList<>(prompts.size());
        for (int from = 0; from < prompts.size(); from += maxBatch) {
            for (Generation g : generator.generate(new ArrayList<>(prompts.subList(from, Math.min(prompts.size(), from + maxBatch))), config, null)) {
                out.add(toJson(g));
            }
        }
        return out;
    }

    /**
     * Generates for one text (read as a text event is: prompt template, or one user turn in chat mode), handing text
     * to {@code listener} as it is produced (the CLI's {@code generate} command prints it); returns the same fields
     * as {@link #run}.
     */
    public ObjectNode stream(String text, StreamListener listener) {
        String input = prompt.read(JsonNodeFactory.instance.objectNode().put("text", text), text);
        return toJson(generator.generate(List.of(promptIds(input)), config, listener).getFirst());
    }

    /**
     * A rendered chat prompt already holds the model's special tokens; a plain text goes through the prompt template and
     * gets them from the tokenizer.
     */
    private Encoding encodePrompt(String input) {
        if (prompt.rendersChat()) return tokenizer.encode(input, false);
        return tokenizer.encode(prompt.prompt().apply(input));
    }

    private int[] promptIds(String input) {
        return encodePrompt(input).ids();
    }

    private ObjectNode toJson(Generation g) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("generated", g.text());
        o.put("finish_reason", g.finishReason().json());
        o.put("prompt_tokens", g.promptTokens());
        o.put("generated_tokens", g.generatedTokens());
        if (details) {
            ArrayNode tokens = o.putArray("tokens");
            for (int i = 0; i < g.tokens().length; i++) {
                int id = g.tokens()[i];
                tokens.addObject().put("id", id).put("text", tokenizer.decode(new int[] {id}, false))
                        .put("logprob", g.logprobs()[i]);
            }
        }
        return o;
    }
}
