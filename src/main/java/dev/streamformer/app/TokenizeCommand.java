package dev.streamformer.app;

import dev.streamformer.chat.ChatTemplate;
import dev.streamformer.task.generate.ChatPrompt;
import dev.streamformer.task.generate.PromptTemplate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.model.ModelRegistry;
import dev.streamformer.model.ResolvedModel;
import dev.streamformer.task.generate.GgufModel;
import dev.streamformer.tokenize.Encoding;
import dev.streamformer.tokenize.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code streamformer tokenize}: JSON Lines in, the same events with {@code ids}, {@code tokens}, {@code offsets} out. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize JSON Lines from stdin with the model's tokenizer.json: adds ids, tokens and offsets"
                + " (code points into the text, as Hugging Face tokenizers reports them).")
final class TokenizeCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "ID|DIR", defaultValue = ModelRegistry.DEFAULT_MODEL,
            description = "A built-in model id, a Hugging Face model directory, a directory holding only tokenizer files, or a"
                    + " llama.cpp .gguf file."
                    + " Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--max-length", defaultValue = "-1", description = "Truncate to this many tokens (0: never; default: the"
            + " model's maximum, or the tokenizer.json's own truncation for a directory without weights).")
    int maxLength;

    @Option(names = "--chat", description = "Render each event through the model's chat template first, as generate --chat"
            + " does (its 'messages', or its text as one user turn), tokenize without adding special tokens and add"
            + " 'rendered': exactly what the model is fed.")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "With --chat, a system message put first.")
    String system;

    @Option(names = "--chat-template-kwargs", paramLabel = "K=V[,K=V]", description = "With --chat, extra template variables.")
    String chatTemplateKwargs;

    @Mixin LineOptions lines;

    @Override
    public Integer call() throws Exception {
        if (!chat && (system != null || chatTemplateKwargs != null)) {
            throw new IllegalArgumentException("--system and --chat-template-kwargs apply to the chat template: add --chat.");
        }
        Tokenizer tokenizer;
        ChatTemplate template;
        if (GgufModel.isGguf(Path.of(model))) {   // a llama.cpp file: its own tokenizer and chat template
            GgufModel gguf = GgufModel.read(Path.of(model));
            tokenizer = maxLength >= 0 ? gguf.tokenizer().withMaxLength(maxLength) : gguf.tokenizer();
            template = chat ? gguf.chatTemplate() : null;
        } else {
            ResolvedModel files = ModelRegistry.standard().resolveTokenizer(model);
            Tokenizer fromFile = Tokenizer.fromFile(files.tokenizer());
            boolean tokenizerOnly = files.onnx() == null && files.safetensors() == null;
            tokenizer = maxLength >= 0 ? fromFile.withMaxLength(maxLength)
                    : tokenizerOnly ? fromFile : fromFile.withMaxLength(files.maxLength());
            template = chat ? ChatTemplate.fromModelDirectory(files.dir()) : null;
        }
        ChatPrompt prompt = new ChatPrompt(template,
                new ChatPrompt.ChatSettings(chat, system, ChatPrompt.ChatSettings.parseVariables(chatTemplateKwargs)),
                PromptTemplate.IDENTITY);
        PrintStream out = JsonLines.bufferedStdout();
        try (Progress progress = new Progress(System.err, lines.progress)) {
            JsonLines runner = new JsonLines(lines, progress,
                    t -> tokenizer.encode(t, !chat).length(), null, prompt);
            return runner.run(new BufferedInputStream(System.in, 1 << 16), out, texts -> {
                List<ObjectNode> results = new ArrayList<>(texts.size());
                for (String t : texts) {
                    // a rendered prompt already spells out its special tokens
                    ObjectNode result = describe(tokenizer.encode(t, !chat));
                    if (chat) result.put("rendered", t);
                    results.add(result);
                }
                return results;
            });
        }
    }

    static ObjectNode describe(Encoding e) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        var ids = node.putArray("ids");
        for (int id : e.ids()) ids.add(id);
        var tokens = node.putArray("tokens");
        for (String t : e.tokens()) tokens.add(t);
        var offsets = node.putArray("offsets");
        for (int[] o : e.offsets()) offsets.addArray().add(o[0]).add(o[1]);
        if (e.truncated()) node.put("truncated", true);
        return node;
    }
}
