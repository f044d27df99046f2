package dev.streamformer.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file's tokenizer ({@code tokenizer.ggml.*}) turned back into the Hugging Face {@code tokenizer.json} that
 * llama.cpp's converter read it from, so that the one tokenizer pipeline runs it. For byte-level BPE
 * ({@code tokenizer.ggml.model = gpt2}: Llama 3, Qwen2/2.5/3, GPT-2):
 * <pre>
 *   tokens[i], merges            model: BPE, vocab {token: i}, merges ("a b")
 *   token_type[i] 3 (control)    added token, special          (e.g. &lt;|begin_of_text|&gt;, &lt;|im_start|&gt;)
 *   token_type[i] 4 (user)       added token, not special      (e.g. Qwen's &lt;tool_call&gt;)
 *   pre                          the pre-tokenizer's split regex; llama-bpe also ignore_merges, qwen2 also NFC
 *   add_bos_token, bos_token_id  a TemplateProcessing that puts BOS first
 * </pre>
 * The pre-tokenizer is only named in GGUF ({@code tokenizer.ggml.pre}), so each name we accept maps to the regex of
 * its family's {@code tokenizer.json}; another name is refused. SentencePiece BPE vocabularies
 * ({@code tokenizer.ggml.model = llama}: Llama 2, Mistral, TinyLlama) are laid out as Hugging Face's LlamaConverter
 * does ({@link #sentencePiece}).
 */
final class GgufVocabulary {

    private GgufVocabulary() {}

    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    /** The split regexes of Llama 3's and Qwen2's tokenizer.json (GPT-2's own is ByteLevel's {@code use_regex}). */
    private static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    static ObjectNode tokenizerJson(Map<String, ?> metadata, Path file) {
        Object model = metadata.get("tokenizer.ggml.model");
        if ("llama".equals(model)) return sentencePiece(metadata, file);
        if (!"gpt2".equals(model)) {
            throw new IllegalArgumentException(file + " has tokenizer.ggml.model '" + model + "'; byte-level BPE (gpt2: Llama 3,"
                    + " Qwen) and SentencePiece BPE (llama: Llama 2, Mistral, TinyLlama) vocabularies are read from GGUF: use the"
                    + " model's Hugging Face folder instead.");
        }
        List<?> tokens = list(metadata, "tokenizer.ggml.tokens", file);
        List<?> types = metadata.get("tokenizer.ggml.token_type") instanceof List<?> l ? l : null;
        List<?> merges = list(metadata, "tokenizer.ggml.merges", file);
        String pre = metadata.get("tokenizer.ggml.pre") instanceof String name ? name : "default";

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode bpe = json.objectNode().put("type", "BPE").put("byte_fallback", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            String token = (String) tokens.get(id);
            vocab.put(token, id);
            int type = types == null ? 1 : ((Number) types.get(id)).intValue();
            if (type == CONTROL || type == USER_DEFINED) {
                added.addObject().put("id", id).put("content", token).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", type == CONTROL);
            }
        }
        ArrayNode mergeArray = bpe.putArray("merges");
        for (Object m : merges) mergeArray.add((String) m);

        String regex = switch (pre) {
            case "llama-bpe", "llama3" -> LLAMA3_REGEX;
            case "qwen2" -> QWEN2_REGEX;
            case "default", "gpt-2" -> null;
            default -> throw new IllegalArgumentException(file + " has tokenizer.ggml.pre '" + pre + "', a pre-tokenizer"
                    + " Streamformer does not know (llama-bpe, qwen2, gpt-2 are read): use the model's Hugging Face folder instead.");
        };
        bpe.put("ignore_merges", regex == LLAMA3_REGEX);   // llama.cpp does so for llama-bpe, as Llama 3's tokenizer.json
        root.set("normalizer", pre.equals("qwen2") ? json.objectNode().put("type", "NFC") : json.nullNode());
        ObjectNode byteLevel = json.objectNode().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false).put("use_regex", regex == null);
        if (regex == null) {
            root.set("pre_tokenizer", byteLevel);
        } else {
            ObjectNode sequence = root.putObject("pre_tokenizer").put("type", "Sequence");
            ObjectNode split = sequence.putArray("pretokenizers").addObject().put("type", "Split")
                    .put("behavior", "Isolated").put("invert", false);
            split.putObject("pattern").put("Regex", regex);
            sequence.withArray("pretokenizers").add(byteLevel.deepCopy().put("use_regex", false));
        }
        root.set("model", bpe);
        root.set("decoder", byteLevel.deepCopy());
        bosTemplate(root, tokens, metadata, Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_bos_token")));
        return root;
    }

    /**
     * A SentencePiece BPE vocabulary ({@code tokenizer.ggml.model = llama}) as Hugging Face's {@code LlamaConverter}
     * lays it out: BPE with byte fallback over the pieces, {@code ▁} for spaces (and one put first unless
     * {@code add_space_prefix} is false), no pre-tokenizer. GGUF keeps SentencePiece's scores, not merges; the merges
     * are derived from them as transformers' {@code SentencePieceExtractor} does ({@link #mergesFromScores}), unless the
     * file lists them. Token types: 2 (unknown) and 3 (control) are special added tokens, 4 (user-defined) plain ones.
     */
    private static ObjectNode sentencePiece(Map<String, ?> metadata, Path file) {
        List<?> tokens = list(metadata, "tokenizer.ggml.tokens", file);
        List<?> types = metadata.get("tokenizer.ggml.token_type") instanceof List<?> l ? l : null;
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode bpe = json.objectNode().put("type", "BPE").put("fuse_unk", true).put("byte_fallback", true);
        if (metadata.get("tokenizer.ggml.unknown_token_id") instanceof Number unk) bpe.put("unk_token", (String) tokens.get(unk.intValue()));
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            String token = (String) tokens.get(id);
            vocab.put(token, id);
            int type = types == null ? 1 : ((Number) types.get(id)).intValue();
            if (type == UNKNOWN || type == CONTROL || type == USER_DEFINED) {
                added.addObject().put("id", id).put("content", token).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", type != USER_DEFINED);
            }
        }
        ArrayNode merges = bpe.putArray("merges");
        if (metadata.get("tokenizer.ggml.merges") instanceof List<?> listed) {
            for (Object m : listed) merges.add((String) m);
        } else {
            List<?> scores = list(metadata, "tokenizer.ggml.scores", file);
            for (String[] m : mergesFromScores(tokens, scores)) merges.addArray().add(m[0]).add(m[1]);
        }
        root.set("model", bpe);
        ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        if (!Boolean.FALSE.equals(metadata.get("tokenizer.ggml.add_space_prefix"))) {
            normalizers.addObject().put("type", "Prepend").put("prepend", "\u2581");
        }
        normalizers.addObject().put("type", "Replace").put("content", "\u2581").putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        ArrayNode decoders = root.putObject("decoder").put("type", "Sequence").putArray("decoders");
        decoders.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", "\u2581");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        if (!Boolean.FALSE.equals(metadata.get("tokenizer.ggml.add_space_prefix"))) {
            decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        }
        boolean addBos = !Boolean.FALSE.equals(metadata.get("tokenizer.ggml.add_bos_token"));   // llama.cpp's default for SentencePiece
        bosTemplate(root, tokens, metadata, addBos);
        return root;
    }

    /**
     * transformers' {@code SentencePieceExtractor.extract}: every piece split in two where both halves are pieces is a
     * merge; a piece's splits are ordered by the ids of their halves, and all merges by the piece's score, highest
     * first (a stable sort: equal scores keep id order).
     */
    static List<String[]> mergesFromScores(List<?> tokens, List<?> scores) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) ids.putIfAbsent((String) tokens.get(i), i);
        record Merge(String left, String right, float score, int leftId, int rightId) {}
        List<Merge> merges = new ArrayList<>();
        for (int id = 0; id < tokens.size(); id++) {
            String piece = (String) tokens.get(id);
            float score = ((Number) scores.get(id)).floatValue();
            List<Merge> local = new ArrayList<>();
            for (int cut = piece.offsetByCodePoints(0, 1); cut < piece.length(); cut = piece.offsetByCodePoints(cut, 1)) {
                Integer l = ids.get(piece.substring(0, cut)), r = ids.get(piece.substring(cut));
                if (l != null && r != null) local.add(new Merge(piece.substring(0, cut), piece.substring(cut), score, l, r));
            }
            local.sort(Comparator.comparingInt(Merge::leftId).thenComparingInt(Merge::rightId));
            merges.addAll(local);
        }
        merges.sort(Comparator.comparingDouble((Merge m) -> m.score()).reversed());
        List<String[]> out = new ArrayList<>(merges.size());
        for (Merge m : merges) out.add(new String[] {m.left(), m.right()});
        return out;
    }

    /** A TemplateProcessing that puts the BOS token first, when the file asks for it. */
    private static void bosTemplate(ObjectNode root, List<?> tokens, Map<String, ?> metadata, boolean addBos) {
        if (!addBos || !(metadata.get("tokenizer.ggml.bos_token_id") instanceof Number bosId)) return;
        String bos = (String) tokens.get(bosId.intValue());
        ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = template.putArray("pair");
        pair.addAll(single.deepCopy());
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = template.putObject("special_tokens").putObject(bos).put("id", bos);
        special.putArray("ids").add(bosId.intValue());
        special.putArray("tokens").add(bos);
    }

    private static List<?> list(Map<String, ?> metadata, String key, Path file) {
        if (metadata.get(key) instanceof List<?> l) return l;
        throw new IllegalArgumentException(file + " lacks '" + key + "', which a GGUF tokenizer needs; convert the model again"
                + " with llama.cpp's convert_hf_to_gguf.py.");
    }
}
