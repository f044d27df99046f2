package dev.streamformer.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Hugging Face model folder keeps its chat template and the special tokens the template may use, found the
 * way transformers finds them: {@code chat_template.jinja} when present, else {@code tokenizer_config.json}'s
 * {@code chat_template} (a string, or a list of {@code {name, template}} of which {@code default} is taken); special
 * tokens from {@code tokenizer_config.json}, each a string or an AddedToken object {@code {"content": ...}}.
 *
 * @param template      the template source
 * @param origin        the file it came from, for messages
 * @param specialTokens {@code bos_token}, {@code eos_token}, … (only those set) and {@code additional_special_tokens}
 */
record ChatTemplateFiles(String template, Path origin, Map<String, Object> specialTokens) {

    static final String JINJA_FILE = "chat_template.jinja";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** The named special tokens transformers passes to templates (its {@code special_tokens_map}). */
    private static final List<String> SPECIAL_TOKEN_NAMES =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    static ChatTemplateFiles read(Path modelDirectory) {
        Path jinja = modelDirectory.resolve(JINJA_FILE);
        Path config = modelDirectory.resolve(TOKENIZER_CONFIG);
        JsonNode configJson = Files.isRegularFile(config) ? readJson(config) : null;
        Map<String, Object> specialTokens = configJson == null ? Map.of() : specialTokens(configJson, config);
        if (Files.isRegularFile(jinja)) {
            return new ChatTemplateFiles(readText(jinja), jinja, specialTokens);
        }
        JsonNode template = configJson == null ? null : configJson.get("chat_template");
        if (template == null || template.isNull()) {
            throw new ChatTemplateException(modelDirectory + " has no chat template: add a " + JINJA_FILE
                    + " file or a \"chat_template\" entry to " + TOKENIZER_CONFIG + " (or send plain text prompts).");
        }
        return new ChatTemplateFiles(templateText(template, config), config, specialTokens);
    }

    /** A string, or the {@code default} entry of a list of named templates. */
    private static String templateText(JsonNode template, Path config) {
        if (template.isTextual()) {
            return template.asText();
        }
        if (template.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode entry : template) {
                String name = entry.path("name").asText();
                if (name.equals("default") && entry.path("template").isTextual()) {
                    return entry.get("template").asText();
                }
                names.add(name);
            }
            throw new ChatTemplateException(config + " offers chat templates " + names
                    + " but none named \"default\": add a " + JINJA_FILE + " file with the one to use.");
        }
        throw new ChatTemplateException(config + " has a \"chat_template\" that is neither a string nor a list of "
                + "{name, template}: replace it with the template text.");
    }

    private static Map<String, Object> specialTokens(JsonNode config, Path origin) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String name : SPECIAL_TOKEN_NAMES) {
            String content = tokenContent(config.get(name), origin, name);
            if (content != null) {
                tokens.put(name, content);
            }
        }
        JsonNode additional = config.get("additional_special_tokens");
        if (additional != null && additional.isArray()) {
            List<String> contents = new ArrayList<>();
            additional.forEach(t -> contents.add(tokenContent(t, origin, "additional_special_tokens")));
            tokens.put("additional_special_tokens", contents);
        }
        return tokens;
    }

    /** A special token's text: a plain string, or the {@code content} of an AddedToken object; null when unset. */
    private static String tokenContent(JsonNode token, Path origin, String name) {
        if (token == null || token.isNull()) {
            return null;
        }
        if (token.isTextual()) {
            return token.asText();
        }
        if (token.path("content").isTextual()) {
            return token.get("content").asText();
        }
        throw new ChatTemplateException(origin + " has a \"" + name + "\" that is neither a string nor an object with "
                + "a \"content\" string: fix that entry.");
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ChatTemplateException("Cannot read " + file + " as JSON (" + e.getMessage()
                    + "): check that the model folder is complete.", e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChatTemplateException("Cannot read " + file + " (" + e.getMessage()
                    + "): check that the model folder is complete.", e);
        }
    }
}
