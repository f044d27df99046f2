package dev.streamformer.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sentence-transformers folder (as saved by {@code SentenceTransformer.save} and downloaded from the Hub) says
 * about turning token vectors into a sentence vector, so that such a folder needs no {@code streamformer.yaml}:
 * <ul>
 *   <li>{@code modules.json}: the pipeline, e.g. Transformer → Pooling ({@code 1_Pooling}) → Normalize ({@code 2_Normalize});
 *       the vector is L2-normalised exactly when a Normalize module is listed;</li>
 *   <li>{@code 1_Pooling/config.json}: which {@code pooling_mode_*} is on (mean when the file says nothing, as in
 *       sentence-transformers);</li>
 *   <li>{@code sentence_bert_config.json} in the Transformer's folder: {@code max_seq_length};</li>
 *   <li>{@code config_sentence_transformers.json}: {@code prompts} by name (e5: {@code query: }, {@code passage: }) and
 *       {@code default_prompt_name}.</li>
 * </ul>
 * A module we cannot run the way sentence-transformers does (Dense, several pooling modes concatenated, pooling that
 * leaves the prompt out) is refused at load, by name, rather than giving different vectors.
 *
 * @param pooling           the Pooling module's mode, or null when modules.json lists no Pooling module
 * @param normalize         a Normalize module follows the pooling
 * @param maxSeqLength      {@code max_seq_length}, or null when not given
 * @param prompts           prompt texts by name, in file order (empty when none)
 * @param defaultPromptName the prompt put before every text when the caller names none, or null
 */
public record SentenceTransformersFolder(Pooling pooling, boolean normalize, Integer maxSeqLength, Map<String, String> prompts,
                                         String defaultPromptName) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SentenceTransformersFolder {
        prompts = Map.copyOf(prompts);
        if (defaultPromptName != null && !prompts.containsKey(defaultPromptName)) {
            throw new ModelLoadException("config_sentence_transformers.json names default_prompt_name '" + defaultPromptName
                    + "', which is not one of its prompts " + prompts.keySet() + ": fix the file.");
        }
    }

    /** The folder's sentence-transformers settings, or null when it has no {@code modules.json}. */
    public static SentenceTransformersFolder read(Path dir) {
        Path modulesFile = dir.resolve("modules.json");
        if (!Files.isRegularFile(modulesFile)) return null;
        Pooling pooling = null;
        boolean normalize = false;
        Integer maxSeqLength = null;
        for (JsonNode module : json(modulesFile)) {
            String type = module.path("type").asText();
            String kind = type.substring(type.lastIndexOf('.') + 1);   // sentence_transformers.models.Pooling -> Pooling
            Path path = dir.resolve(module.path("path").asText(""));
            switch (kind) {
                case "Transformer" -> maxSeqLength = maxSeqLength(path.resolve("sentence_bert_config.json"));
                case "Pooling" -> pooling = pooling(path.resolve("config.json"));
                case "Normalize" -> normalize = true;
                default -> throw new ModelLoadException(modulesFile + " lists a " + type + " module, which Streamformer does not run"
                        + " (it runs Transformer, Pooling and Normalize): its vectors would differ from sentence-transformers'.");
            }
        }
        Map<String, String> prompts = new LinkedHashMap<>();
        String defaultPrompt = null;
        Path promptsFile = dir.resolve("config_sentence_transformers.json");
        if (Files.isRegularFile(promptsFile)) {
            JsonNode c = json(promptsFile);
            c.path("prompts").properties().forEach(e -> prompts.put(e.getKey(), e.getValue().asText()));
            JsonNode name = c.path("default_prompt_name");
            defaultPrompt = name.isTextual() ? name.asText() : null;
        }
        return new SentenceTransformersFolder(pooling, normalize, maxSeqLength, prompts, defaultPrompt);
    }

    /** The one {@code pooling_mode_*} that is on; sentence-transformers' defaults for keys the file leaves out. */
    private static Pooling pooling(Path configFile) {
        JsonNode c = Files.isRegularFile(configFile) ? json(configFile) : JSON.createObjectNode();
        if (!c.path("include_prompt").asBoolean(true)) {
            throw new ModelLoadException(configFile + " sets include_prompt false (prompt tokens left out of the pooling),"
                    + " which Streamformer does not do: its vectors would differ from sentence-transformers'.");
        }
        // sentence-transformers' order when several are on (their vectors are concatenated)
        Map<String, Pooling> modes = new LinkedHashMap<>();
        modes.put("pooling_mode_cls_token", Pooling.CLS);
        modes.put("pooling_mode_max_tokens", Pooling.MAX);
        modes.put("pooling_mode_mean_tokens", Pooling.MEAN);
        modes.put("pooling_mode_mean_sqrt_len_tokens", Pooling.MEAN_SQRT_LEN);
        modes.put("pooling_mode_weightedmean_tokens", Pooling.WEIGHTED_MEAN);
        modes.put("pooling_mode_lasttoken", Pooling.LAST);
        List<String> on = new ArrayList<>();
        for (String key : modes.keySet()) {
            if (c.path(key).asBoolean(key.equals("pooling_mode_mean_tokens"))) on.add(key);   // mean is on unless said otherwise
        }
        if (on.size() != 1) {
            throw new ModelLoadException(configFile + " turns on " + (on.isEmpty() ? "no pooling mode" : String.join(" and ", on))
                    + "; Streamformer pools with exactly one (a concatenation of several is not supported).");
        }
        return modes.get(on.getFirst());
    }

    private static Integer maxSeqLength(Path file) {
        if (!Files.isRegularFile(file)) return null;
        JsonNode n = json(file).path("max_seq_length");
        return n.isInt() ? n.asInt() : null;
    }

    private static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not valid JSON (" + e.getMessage()
                    + "): restore the file that came with the model.", e);
        }
    }
}
