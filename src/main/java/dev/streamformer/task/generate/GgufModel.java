package dev.streamformer.task.generate;

import dev.streamformer.chat.ChatTemplate;
import dev.streamformer.chat.ChatTemplateException;
import dev.streamformer.tensor.GgufFile;
import dev.streamformer.tokenize.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a llama.cpp {@code .gguf} file holds besides its weights: the tokenizer ({@code tokenizer.ggml.*}) and the chat
 * template ({@code tokenizer.chat_template}, with the BOS and EOS token texts as its special tokens). The weights are
 * the engine's ({@code GgufDecoder}).
 */
public record GgufModel(Path file, Tokenizer tokenizer, String chatTemplateText, Map<String, String> specialTokens) {

    public static boolean isGguf(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".gguf");
    }

    public static GgufModel read(Path file) {
        try (GgufFile g = GgufFile.open(file)) {
            Map<String, Object> meta = g.metadata();
            Map<String, String> special = new HashMap<>();
            if (meta.get("tokenizer.ggml.tokens") instanceof List<?> tokens) {
                for (String name : List.of("bos", "eos", "unknown", "padding")) {
                    long id = g.integer("tokenizer.ggml." + name + "_token_id", -1);
                    String variable = switch (name) {
                        case "unknown" -> "unk_token";
                        case "padding" -> "pad_token";
                        default -> name + "_token";
                    };
                    if (id >= 0 && id < tokens.size()) special.put(variable, (String) tokens.get((int) id));
                }
            }
            String template = meta.get("tokenizer.chat_template") instanceof String t ? t : null;
            return new GgufModel(file, Tokenizer.fromGguf(meta, file), template, Map.copyOf(special));
        }
    }

    /** The file's chat template; refused in one sentence when it has none. */
    public ChatTemplate chatTemplate() {
        if (chatTemplateText == null) {
            throw new ChatTemplateException(file + " has no tokenizer.chat_template: drop --chat and give a --template,"
                    + " or use a GGUF file converted with its chat template.");
        }
        return ChatTemplate.of(chatTemplateText, file + " (tokenizer.chat_template)", specialTokens);
    }
}
