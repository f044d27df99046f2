package dev.streamformer.tokenize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamformer.tokenize.decode.ByteFallbackDecoder;
import dev.streamformer.tokenize.decode.ByteLevelDecoder;
import dev.streamformer.tokenize.decode.Decoder;
import dev.streamformer.tokenize.decode.FuseDecoder;
import dev.streamformer.tokenize.decode.MetaspaceDecoder;
import dev.streamformer.tokenize.decode.ReplaceDecoder;
import dev.streamformer.tokenize.decode.SequenceDecoder;
import dev.streamformer.tokenize.decode.StripDecoder;
import dev.streamformer.tokenize.decode.WordPieceDecoder;
import dev.streamformer.tokenize.model.Bpe;
import dev.streamformer.tokenize.model.Model;
import dev.streamformer.tokenize.model.Unigram;
import dev.streamformer.tokenize.model.Vocabulary;
import dev.streamformer.tokenize.model.WordPiece;
import dev.streamformer.tokenize.normalize.BertNormalizer;
import dev.streamformer.tokenize.normalize.Lowercase;
import dev.streamformer.tokenize.normalize.Normalizer;
import dev.streamformer.tokenize.normalize.Precompiled;
import dev.streamformer.tokenize.normalize.Prepend;
import dev.streamformer.tokenize.normalize.Replace;
import dev.streamformer.tokenize.normalize.SequenceNormalizer;
import dev.streamformer.tokenize.normalize.Strip;
import dev.streamformer.tokenize.normalize.StripAccents;
import dev.streamformer.tokenize.normalize.UnicodeNormalizer;
import dev.streamformer.tokenize.pretokenize.BertPreTokenizer;
import dev.streamformer.tokenize.pretokenize.ByteLevelPreTokenizer;
import dev.streamformer.tokenize.pretokenize.Metaspace;
import dev.streamformer.tokenize.pretokenize.PreTokenizer;
import dev.streamformer.tokenize.pretokenize.Punctuation;
import dev.streamformer.tokenize.pretokenize.SequencePreTokenizer;
import dev.streamformer.tokenize.pretokenize.Split;
import dev.streamformer.tokenize.pretokenize.SplitBehavior;
import dev.streamformer.tokenize.pretokenize.Whitespace;
import dev.streamformer.tokenize.pretokenize.WhitespaceSplit;
import dev.streamformer.tokenize.process.ByteLevelProcessing;
import dev.streamformer.tokenize.process.PostProcessor;
import dev.streamformer.tokenize.process.SequenceProcessing;
import dev.streamformer.tokenize.process.TemplateProcessing;
import dev.streamformer.tokenize.text.TextPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link PipelineTokenizer} from a Hugging Face {@code tokenizer.json}, stage by stage. Anything the file
 * asks for that is not implemented is refused here, at load, with the component and the file named.
 */
final class TokenizerJsonReader {

    /**
     * Field names are not canonicalized: a vocabulary's hundreds of thousands of tokens are field names, and
     * canonicalizing (interning) them took seconds.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    private final Path file;

    private TokenizerJsonReader(Path file) {
        this.file = file;
    }

    /**
     * Reads {@code path}, or {@code path/tokenizer.json} when it is a model directory; an XLM-R
     * {@code sentencepiece.bpe.model} (given, or in a directory without tokenizer.json) is read as the tokenizer.json
     * Hugging Face's converter makes of it ({@link XlmRobertaSentencePiece}).
     */
    static Tokenizer read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (Files.isDirectory(path) && !Files.isRegularFile(file) && Files.isRegularFile(path.resolve(XlmRobertaSentencePiece.FILE_NAME))) {
            file = path.resolve(XlmRobertaSentencePiece.FILE_NAME);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No tokenizer file at " + file
                    + ": give the path of a Hugging Face tokenizer.json or of the model directory holding it.");
        }
        TokenizerJsonReader reader = new TokenizerJsonReader(file);
        try (JsonParser parser = file.getFileName().toString().endsWith(".model")
                ? JSON.createParser(JSON.writeValueAsBytes(XlmRobertaSentencePiece.tokenizerJson(file)))
                : JSON.createParser(file.toFile())) {
            return reader.tokenizer(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer file " + file + " as JSON: " + e.getMessage()
                    + "; save it again from Hugging Face tokenizers.", e);
        }
    }

    /** Builds the tokenizer a {@code tokenizer.json} made in memory describes ({@code source}: the file it came from). */
    static Tokenizer read(JsonNode tokenizerJson, Path source) {
        try (JsonParser parser = JSON.createParser(JSON.writeValueAsBytes(tokenizerJson))) {
            return new TokenizerJsonReader(source).tokenizer(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the tokenizer of " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads the top-level object: the model block by streaming, the other (small) blocks as trees. */
    private Tokenizer tokenizer(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("the file is not a JSON object");
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ModelJson modelJson = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.START_OBJECT && name.equals("model")) {
                modelJson = ModelJson.read(parser);
            } else {
                root.set(name, parser.readValueAsTree());
            }
        }
        if (modelJson == null) {
            throw unsupported("file without a model block");
        }
        AddedTokens added = addedTokens(root.path("added_tokens"));
        Model model = model(modelJson);
        return new PipelineTokenizer(added, normalizer(root.path("normalizer")), preTokenizer(root.path("pre_tokenizer")),
                model, postProcessor(root.path("post_processor")), decoder(root.path("decoder")),
                truncation(root.path("truncation")), padId(root.path("padding"), added, model));
    }

    // ---- added tokens

    private AddedTokens addedTokens(JsonNode node) {
        List<AddedTokens.AddedToken> tokens = new ArrayList<>();
        for (JsonNode t : node) {
            String content = t.path("content").asText();
            for (String flag : List.of("single_word", "normalized")) {
                if (t.path(flag).asBoolean(false)) {
                    throw unsupported("added token option " + flag + "=true (token " + content + ")");
                }
            }
            tokens.add(new AddedTokens.AddedToken(t.path("id").asInt(), content, t.path("special").asBoolean(),
                    t.path("lstrip").asBoolean(false), t.path("rstrip").asBoolean(false)));
        }
        return new AddedTokens(tokens);
    }

    // ---- normalizers

    private Normalizer normalizer(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "BertNormalizer" -> {
                boolean lowercase = node.path("lowercase").asBoolean(true);
                JsonNode strip = node.path("strip_accents");
                yield new BertNormalizer(node.path("clean_text").asBoolean(true),
                        node.path("handle_chinese_chars").asBoolean(true),
                        strip.isNull() || strip.isMissingNode() ? lowercase : strip.asBoolean(), lowercase);
            }
            case "Sequence" -> {
                List<Normalizer> list = new ArrayList<>();
                for (JsonNode n : node.path("normalizers")) {
                    list.add(normalizer(n));
                }
                yield new SequenceNormalizer(list);
            }
            case "NFC" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFC);
            case "NFD" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFD);
            case "NFKC" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFKC);
            case "NFKD" -> new UnicodeNormalizer(UnicodeNormalizer.Form.NFKD);
            case "Lowercase" -> Lowercase.INSTANCE;
            case "StripAccents" -> StripAccents.INSTANCE;
            case "Strip" -> new Strip(node.path("strip_left").asBoolean(true), node.path("strip_right").asBoolean(true));
            case "Prepend" -> new Prepend(node.path("prepend").asText());
            case "Replace" -> new Replace(pattern(node.path("pattern")), node.path("content").asText());
            case "Precompiled" -> precompiled(node.path("precompiled_charsmap"));
            default -> throw unsupported("normalizer type " + type);
        };
    }

    private Normalizer precompiled(JsonNode charsMap) {
        try {
            return Precompiled.fromCharsMap(Base64.getDecoder().decode(charsMap.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The Precompiled normalizer in " + file + " has an unreadable"
                    + " precompiled_charsmap (" + e.getMessage() + "): save the tokenizer.json again from its"
                    + " SentencePiece model.", e);
        }
    }

    private TextPattern pattern(JsonNode node) {
        if (node.has("String")) {
            return TextPattern.literal(node.path("String").asText());
        }
        if (node.has("Regex")) {
            return TextPattern.regex(node.path("Regex").asText());
        }
        throw unsupported("pattern " + node);
    }

    // ---- pre-tokenizers

    private PreTokenizer preTokenizer(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "BertPreTokenizer" -> new BertPreTokenizer();
            case "Whitespace" -> new Whitespace();
            case "WhitespaceSplit" -> new WhitespaceSplit();
            case "Punctuation" -> new Punctuation(SplitBehavior.fromJson(node.path("behavior").asText("Isolated")));
            case "ByteLevel" -> new ByteLevelPreTokenizer(node.path("add_prefix_space").asBoolean(true),
                    node.path("use_regex").asBoolean(true));
            case "Metaspace" -> new Metaspace(replacement(node), prependScheme(node), node.path("split").asBoolean(true));
            case "Split" -> new Split(pattern(node.path("pattern")), SplitBehavior.fromJson(node.path("behavior").asText()),
                    node.path("invert").asBoolean(false));
            case "Sequence" -> {
                List<PreTokenizer> list = new ArrayList<>();
                for (JsonNode n : node.path("pretokenizers")) {
                    list.add(preTokenizer(n));
                }
                yield new SequencePreTokenizer(list);
            }
            default -> throw unsupported("pre-tokenizer type " + type);
        };
    }

    private static int replacement(JsonNode node) {
        return node.path("replacement").asText("\u2581").codePointAt(0);
    }

    private Metaspace.PrependScheme prependScheme(JsonNode node) {
        if (!node.has("prepend_scheme")) {
            return node.path("add_prefix_space").asBoolean(true) ? Metaspace.PrependScheme.ALWAYS
                    : Metaspace.PrependScheme.NEVER;
        }
        return switch (node.path("prepend_scheme").asText()) {
            case "always" -> Metaspace.PrependScheme.ALWAYS;
            case "first" -> Metaspace.PrependScheme.FIRST;
            case "never" -> Metaspace.PrependScheme.NEVER;
            default -> throw unsupported("Metaspace prepend_scheme " + node.path("prepend_scheme").asText());
        };
    }

    // ---- models

    private Model model(ModelJson node) {
        String type = node.path("type").asText();
        return switch (type) {
            case "WordPiece" -> new WordPiece(vocabulary(node), node.path("unk_token").asText("[UNK]"),
                    node.path("continuing_subword_prefix").asText("##"), node.path("max_input_chars_per_word").asInt(100));
            case "BPE" -> bpe(node);
            case "Unigram" -> unigram(node);
            default -> throw unsupported("model type " + type);
        };
    }

    private Model bpe(ModelJson node) {
        for (String option : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!node.path(option).isNull() && !node.path(option).isMissingNode() && !node.path(option).asText().isEmpty()) {
                throw unsupported("BPE option " + option);
            }
        }
        if (!node.path("dropout").isNull() && !node.path("dropout").isMissingNode() && node.path("dropout").asDouble() > 0) {
            throw unsupported("BPE dropout");
        }
        JsonNode unk = node.path("unk_token");
        return new Bpe(vocabulary(node), node.merges,
                unk.isNull() || unk.isMissingNode() ? null : unk.asText(), node.path("fuse_unk").asBoolean(false),
                node.path("byte_fallback").asBoolean(false), node.path("ignore_merges").asBoolean(false));
    }

    private Model unigram(ModelJson node) {
        if (node.pieces == null) {
            throw unsupported("Unigram model without a [piece, score] vocabulary");
        }
        JsonNode unk = node.path("unk_id");
        if (unk.isNull() || unk.isMissingNode()) {
            throw unsupported("Unigram model without unk_id");
        }
        return new Unigram(node.pieces, node.scores, unk.asInt(), node.path("byte_fallback").asBoolean(false));
    }

    private Vocabulary vocabulary(ModelJson node) {
        if (node.tokens == null) {
            throw unsupported(node.path("type").asText() + " model without a token-to-id vocabulary");
        }
        return new Vocabulary(node.tokens, node.ids);
    }

    // ---- post-processors

    private PostProcessor postProcessor(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "TemplateProcessing" -> new TemplateProcessing(template(node.path("single")),
                    template(node.path("pair")), specialTokens(node.path("special_tokens")));
            case "BertProcessing" -> TemplateProcessing.bert(node.path("sep").get(0).asText(),
                    node.path("sep").get(1).asInt(), node.path("cls").get(0).asText(), node.path("cls").get(1).asInt());
            case "ByteLevel" -> new ByteLevelProcessing(node.path("trim_offsets").asBoolean(true),
                    node.path("add_prefix_space").asBoolean(true));
            case "RobertaProcessing" -> new SequenceProcessing(List.of(
                    new ByteLevelProcessing(node.path("trim_offsets").asBoolean(true),
                            node.path("add_prefix_space").asBoolean(true)),
                    TemplateProcessing.roberta(node.path("sep").get(0).asText(), node.path("sep").get(1).asInt(),
                            node.path("cls").get(0).asText(), node.path("cls").get(1).asInt())));
            case "Sequence" -> {
                List<PostProcessor> list = new ArrayList<>();
                for (JsonNode n : node.path("processors")) {
                    list.add(postProcessor(n));
                }
                yield new SequenceProcessing(list);
            }
            default -> throw unsupported("post-processor type " + type);
        };
    }

    private List<TemplateProcessing.Piece> template(JsonNode node) {
        List<TemplateProcessing.Piece> pieces = new ArrayList<>();
        for (JsonNode item : node) {
            if (item.has("SpecialToken")) {
                JsonNode s = item.path("SpecialToken");
                pieces.add(new TemplateProcessing.Piece(false, s.path("id").asText(), s.path("type_id").asInt()));
            } else if (item.has("Sequence")) {
                JsonNode s = item.path("Sequence");
                pieces.add(new TemplateProcessing.Piece(true, s.path("id").asText(), s.path("type_id").asInt()));
            } else {
                throw unsupported("template item " + item);
            }
        }
        return pieces;
    }

    private static Map<String, TemplateProcessing.SpecialToken> specialTokens(JsonNode node) {
        Map<String, TemplateProcessing.SpecialToken> map = new HashMap<>();
        node.properties().forEach(e -> {
            JsonNode ids = e.getValue().path("ids");
            JsonNode tokens = e.getValue().path("tokens");
            int[] idArray = new int[ids.size()];
            String[] tokenArray = new String[tokens.size()];
            for (int i = 0; i < idArray.length; i++) {
                idArray[i] = ids.get(i).asInt();
                tokenArray[i] = tokens.get(i).asText();
            }
            map.put(e.getKey(), new TemplateProcessing.SpecialToken(idArray, tokenArray));
        });
        return map;
    }

    // ---- decoders

    private Decoder decoder(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "WordPiece" -> new WordPieceDecoder(node.path("prefix").asText("##"), node.path("cleanup").asBoolean(true));
            case "ByteLevel" -> new ByteLevelDecoder();
            case "Metaspace" -> new MetaspaceDecoder(replacement(node),
                    prependScheme(node) != Metaspace.PrependScheme.NEVER);
            case "ByteFallback" -> new ByteFallbackDecoder();
            case "Fuse" -> new FuseDecoder();
            case "Strip" -> new StripDecoder(node.path("content").asText(" ").codePointAt(0), node.path("start").asInt(),
                    node.path("stop").asInt());
            case "Replace" -> {
                if (!node.path("pattern").has("String")) {
                    throw unsupported("Replace decoder with a regex pattern");
                }
                yield new ReplaceDecoder(node.path("pattern").path("String").asText(), node.path("content").asText());
            }
            case "Sequence" -> {
                List<Decoder> list = new ArrayList<>();
                for (JsonNode n : node.path("decoders")) {
                    list.add(decoder(n));
                }
                yield new SequenceDecoder(list);
            }
            default -> throw unsupported("decoder type " + type);
        };
    }

    // ---- truncation and padding

    private Truncation truncation(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        Truncation.Strategy strategy = switch (node.path("strategy").asText("LongestFirst")) {
            case "LongestFirst" -> Truncation.Strategy.LONGEST_FIRST;
            case "OnlyFirst" -> Truncation.Strategy.ONLY_FIRST;
            case "OnlySecond" -> Truncation.Strategy.ONLY_SECOND;
            default -> throw unsupported("truncation strategy " + node.path("strategy").asText());
        };
        int maxLength = node.path("max_length").asInt(0);
        return maxLength <= 0 ? null
                : new Truncation(maxLength, strategy, "Left".equals(node.path("direction").asText("Right")));
    }

    private static int padId(JsonNode padding, AddedTokens added, Model model) {
        if (padding.has("pad_id")) {
            return padding.path("pad_id").asInt();
        }
        for (String name : List.of("[PAD]", "<pad>")) {
            int id = model.tokenToId(name);
            if (id >= 0) {
                return id;
            }
        }
        return 0;
    }

    private IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException("Unsupported " + what + " in " + file
                + ": Streamformer's tokenizer does not implement it; use a tokenizer.json without it.");
    }
}
